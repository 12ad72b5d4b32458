import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built fleetbench binary as a user would, without a terminal, with an empty home. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onStart?: (child: ChildProcess) => void } = {},
): Promise<CliRun> {
  // Nothing of the machine's ~/.ssh (config, keys, known_hosts) may take part in a test run.
  const home = mkdtempSync(join(tmpdir(), 'fleetbench-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SSH_AUTH_SOCK: '', HOME: home, ...options.env } });
    options.onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * An onStart for runCli that sends one SIGINT once `hosts` hosts have finished, as a run with -v
 * tells (a line each): at a point of the scan, not at a set time.
 */
export function interruptAfter(hosts: number): (child: ChildProcess) => void {
  return (child) => {
    let finished = 0;
    child.stderr?.on('data', (chunk: Buffer) => {
      finished += chunk.toString().match(/: (scanned as|not scanned)/g)?.length ?? 0;
      // Once: a second SIGINT would quit at once (exit 130).
      if (finished >= hosts && !child.killed) child.kill('SIGINT');
    });
  };
}
