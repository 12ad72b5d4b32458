import { runCommand } from '../test/support/netns/run-command.js';
import type { CommandResult, RunOptions } from '../test/support/netns/spec.js';
import type { AccountingGroup } from './tree-accounting.js';

/** What one timed command cost, as GNU time reports it. */
export interface Measurement {
  wallSeconds: number;
  /** user + system of the command and of the children it waited for (GNU time). */
  cpuSeconds: number;
  /** The largest single process's peak RSS (GNU time): not the sum over processes running at once. */
  peakRssMb: number;
  exitCode: number;
  stderr: string;
}

/** Runs a command line to completion somewhere: here, or in a fleet's fabric namespace. */
export type Runner = (command: string, args: string[], options: RunOptions) => Promise<CommandResult>;

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the command's stdout goes. Default: discarded. */
  stdoutFile?: string;
  /** Default: spawn it here. */
  runner?: Runner;
  /** The tree joins this group before the command starts (read it with the group's usage()). */
  group?: AccountingGroup;
  /** Killed after this long. Default 10 minutes. */
  timeoutMs?: number;
}

// Joins the accounting cgroups, sends stdout where asked, then becomes GNU time, which runs the
// command. Arguments: the number of cgroup directories, the directories, the stdout file, time's argv.
const WRAPPER =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 125; shift; n=$((n - 1)); done; ' +
  'out=$1; shift; exec /usr/bin/time "$@" > "$out"';

// GNU time writes its figures to stderr once the command has ended: the last line with the marker.
const MARKER = '@@fleetbench-time';
const FORMAT = `${MARKER} %e %U %S %M`;

/** Runs a command under GNU time, in its accounting group when given, and returns what it cost. */
export async function measure(command: string, args: string[], options: MeasureOptions = {}): Promise<Measurement> {
  const dirs = options.group?.dirs ?? [];
  const runner = options.runner ?? runCommand;
  const run = await runner('sh', ['-c', WRAPPER, 'sh', String(dirs.length), ...dirs, options.stdoutFile ?? '/dev/null', '-f', FORMAT, command, ...args], {
    env: options.env ?? process.env,
    timeoutMs: options.timeoutMs ?? 600_000,
  });
  const lines = run.stderr.split('\n');
  const at = lines.findLastIndex((line) => line.startsWith(`${MARKER} `));
  const figures = at < 0 ? [] : lines[at]!.split(' ').slice(1).map(Number);
  if (figures.length !== 4 || figures.some(Number.isNaN)) {
    throw new Error(`no timing from ${command} (exit ${run.code ?? run.signal}): ${run.stderr.trim().slice(-500)}`);
  }
  const [wall, user, system, rssKb] = figures as [number, number, number, number];
  // What the command said, without time's figures (and its "Command exited with non-zero status" line).
  const said = lines
    .slice(0, at)
    .filter((line) => !line.startsWith('Command exited with non-zero status'))
    .join('\n')
    .trim();
  return { wallSeconds: wall, cpuSeconds: user + system, peakRssMb: rssKb / 1024, exitCode: run.code ?? -1, stderr: said };
}
