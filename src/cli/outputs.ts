import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ScanResult } from '../model.js';
import { renderReport } from '../report/formats.js';
import type { WriterOptions } from '../report/formats.js';
import { UsageError } from './option-table.js';
import type { OutputFile } from './options.js';
import { writeFileAtomic } from './write-file.js';

// -o files: a report that cannot be written is found out before the first connection, not after
// an hour of scanning; and one that fails anyway (a full disk, a folder removed meanwhile) never
// costs the others.

/**
 * Throws `UsageError` naming every -o path that cannot be written: its folder is missing, not a
 * folder or not writable (tried by creating a file there, which also catches read-only mounts,
 * as root too), it is a folder, or it is not a regular file (a device: renaming a report over
 * /dev/stdout would replace the device), or it is given twice.
 */
export function checkOutputs(outputs: readonly OutputFile[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { path } of outputs) {
    const problem = seen.has(resolve(path)) ? 'is given twice' : outputProblem(path);
    seen.add(resolve(path));
    if (problem !== undefined) problems.push(`-o ${path}: ${problem}`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
}

function outputProblem(path: string): string | undefined {
  const existing = statOf(path);
  if (existing?.isDirectory()) return 'is a folder; name a file in it';
  if (existing !== undefined && !existing.isFile()) return 'is not a regular file; -o writes files (for stdout, use --format)';
  const folder = dirname(path);
  const parent = statOf(folder);
  if (parent === undefined) return `the folder ${folder} does not exist`;
  if (!parent.isDirectory()) return `${folder} is not a folder`;
  const probe = join(folder, `.fleetbench-check-${randomBytes(6).toString('hex')}.tmp`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
    rmSync(probe, { force: true });
    return undefined;
  } catch (error) {
    return `cannot write in ${folder}: ${(error as Error).message}`;
  }
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Writes every output, each on its own; returns why each one that failed did. */
export function writeOutputs(result: ScanResult, outputs: readonly OutputFile[], options: WriterOptions, wrote: (path: string) => void): string[] {
  const failures: string[] = [];
  for (const output of outputs) {
    try {
      writeFileAtomic(output.path, renderReport(result, output.format, { ...options, color: false }));
      wrote(output.path);
    } catch (error) {
      failures.push(`cannot write ${output.path}: ${(error as Error).message}`);
    }
  }
  return failures;
}
