import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { BENCHMARKS, DEFAULT_BENCHMARK, parseBenchmark } from '../rules/benchmarks.js';
import type { Format } from '../report/formats.js';
import { EXTENSIONS, FORMATS } from '../report/formats.js';
import type { FailOn } from '../status.js';
import { FAIL_ON } from '../status.js';
import { ruleList } from '../rules/rule-selection.js';
import type { ScanValues } from './commands.js';
import { UsageError } from './option-table.js';

export interface OutputFile {
  path: string;
  format: Format;
}

export interface ScanSettings {
  benchmark: BenchmarkVersion;
  /** Format for stdout; undefined: nothing on stdout (only files were asked for) unless it is a terminal. */
  stdoutFormat?: Format;
  outputs: OutputFile[];
  concurrency: number;
  /** --threads; undefined: as many as the fleet is worth (threadsFor). */
  threads?: number;
  connectTimeoutMs: number;
  hostTimeoutMs: number;
  maxOutputBytes: number;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  insecureAcceptAnyHostKey: boolean;
  identityFiles: string[];
  failOn: FailOn;
  quiet: boolean;
  all: boolean;
  color: boolean;
  /** A person is at a terminal: show the live view while scanning, then the interactive report. */
  interactive: boolean;
  /** A previous JSON result to compare with. */
  baseline?: string;
  /** A YAML file of accepted risks. */
  waivers?: string;
  /** Ask for the sudo password on the terminal (it may also come from FLEETBENCH_SUDO_PASSWORD). */
  askSudoPassword: boolean;
  /** --limit, as given. */
  limit?: string;
  /** --check and --skip entries. */
  check?: string[];
  skip?: string[];
  /** -v: 1, -vv: 2. */
  verbosity: number;
}

export interface Environment {
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function scanSettings(values: ScanValues, environment: Environment): ScanSettings {
  const benchmark = benchmarkOf(values);
  const format = values.format === undefined ? undefined : oneOf('--format', values.format, FORMATS);
  const outputs = outputFiles(values.output ?? []);
  const failOn = failOnOf(values);
  if (values['accept-new-host-keys'] && values['insecure-accept-any-host-key']) {
    throw new UsageError('--accept-new-host-keys and --insecure-accept-any-host-key contradict each other; choose one');
  }
  const home = environment.home;
  const knownHostsFiles = values['known-hosts'] ?? [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
  const identityFiles =
    values['private-key'] ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name)).filter((path) => existsSync(path));

  const settings: ScanSettings = {
    benchmark,
    outputs,
    concurrency: integer('--concurrency', values.concurrency, 32, 1, 4096),
    connectTimeoutMs: seconds('--connect-timeout', values['connect-timeout'], 10),
    hostTimeoutMs: seconds('--timeout', values.timeout, 60),
    maxOutputBytes: integer('--max-output', values['max-output'], 16, 1, 1024) * 1_048_576,
    knownHostsFiles,
    acceptNewHostKeys: values['accept-new-host-keys'] ?? false,
    insecureAcceptAnyHostKey: values['insecure-accept-any-host-key'] ?? false,
    identityFiles,
    failOn,
    quiet: values.quiet ?? false,
    all: values.all ?? false,
    color: wantsColor(values, environment),
    interactive: wantsInteractive(values, environment),
    askSudoPassword: values['ask-become-pass'] ?? false,
    verbosity: values.verbose ?? 0,
  };
  if (values.threads !== undefined) settings.threads = integer('--threads', values.threads, 1, 1, 256);
  if (values.baseline !== undefined) settings.baseline = values.baseline;
  if (values.waivers !== undefined) settings.waivers = values.waivers;
  if (values.limit !== undefined) settings.limit = values.limit;
  if (values.check !== undefined) settings.check = ruleList(values.check);
  if (values.skip !== undefined) settings.skip = ruleList(values.skip);
  if (settings.askSudoPassword && !environment.stdinIsTTY)
    throw new UsageError('--ask-become-pass needs a terminal; without one, put the password in FLEETBENCH_SUDO_PASSWORD');
  // Without -o the report goes to stdout; with -o only, stdout stays quiet for cron unless a person
  // is watching, who gets the interactive report instead when the terminal allows it.
  if (format) settings.stdoutFormat = format;
  else if (!settings.interactive && (outputs.length === 0 || environment.stdoutIsTTY)) settings.stdoutFormat = 'text';
  return settings;
}

/** --benchmark, or the newest. */
export function benchmarkOf(values: { benchmark?: string }): BenchmarkVersion {
  const benchmark = values.benchmark === undefined ? DEFAULT_BENCHMARK : parseBenchmark(values.benchmark);
  if (!benchmark) throw new UsageError(`unknown benchmark ${JSON.stringify(values.benchmark)}; choose one of ${BENCHMARKS.join(', ')}`);
  return benchmark;
}

export function failOnOf(values: { 'fail-on'?: string }): FailOn {
  return values['fail-on'] === undefined ? 'fail' : oneOf('--fail-on', values['fail-on'], FAIL_ON);
}

/** The -o files and their formats, by extension. Throws `UsageError` naming every path without a known one. */
export function outputFiles(paths: readonly string[]): OutputFile[] {
  const unknown = paths.filter((path) => EXTENSIONS[extname(path).toLowerCase()] === undefined);
  if (unknown.length > 0) {
    const known = Object.keys(EXTENSIONS).join(', ');
    throw new UsageError(unknown.map((path) => `-o ${path}: cannot tell the format from its extension; name a file ending in ${known}`).join('\n'));
  }
  return paths.map((path) => ({ path, format: EXTENSIONS[extname(path).toLowerCase()]! }));
}

/**
 * The interactive views need a terminal on both ends: Ink draws on stdout and reads keys in raw
 * mode from stdin. An explicit --format means the user wants that report on stdout instead.
 */
export function wantsInteractive(values: { format?: string; 'no-interactive'?: boolean }, environment: Environment): boolean {
  return environment.stdoutIsTTY && environment.stdinIsTTY && !values['no-interactive'] && values.format === undefined;
}

export function wantsColor(values: { 'no-color'?: boolean }, environment: Environment): boolean {
  return environment.stdoutIsTTY && !values['no-color'] && environment.env.NO_COLOR === undefined;
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`${flag} must be a number of seconds (0 < s <= 86400), got ${JSON.stringify(value)}`);
  return Math.round(n * 1000);
}

export function defaultHome(env: NodeJS.ProcessEnv): string {
  return env.HOME ?? homedir();
}
