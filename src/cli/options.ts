import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { BENCHMARKS, DEFAULT_BENCHMARK, parseBenchmark } from '../rules/benchmarks.js';
import type { Format } from '../report/formats.js';
import { EXTENSIONS, FORMATS } from '../report/formats.js';
import type { FailOn } from './exit-codes.js';
import { FAIL_ON } from './exit-codes.js';

/** A command line fleetbench cannot act on: exit 64 with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** parseArgs, its errors (an unknown option, a missing value) turned into usage errors: exit 64, no stack trace. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

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
}

/** How to read the inventory: `scan` and `inventory` take the same, so both show the same targets. */
export const INVENTORY_READ_OPTIONS = {
  inventory: { type: 'string', short: 'i' },
  'ssh-config': { type: 'string', short: 'F' },
  'no-ssh-config': { type: 'boolean' },
  become: { type: 'boolean' },
  user: { type: 'string', short: 'u' },
} as const;

export const SCAN_OPTIONS = {
  ...INVENTORY_READ_OPTIONS,
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o', multiple: true },
  benchmark: { type: 'string', short: 'b' },
  concurrency: { type: 'string', short: 'c' },
  'connect-timeout': { type: 'string' },
  timeout: { type: 'string' },
  'max-output': { type: 'string' },
  'known-hosts': { type: 'string', multiple: true },
  'accept-new-host-keys': { type: 'boolean' },
  'insecure-accept-any-host-key': { type: 'boolean' },
  identity: { type: 'string', short: 'k', multiple: true },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  all: { type: 'boolean', short: 'a' },
  'no-color': { type: 'boolean' },
  'no-interactive': { type: 'boolean' },
  baseline: { type: 'string' },
  waivers: { type: 'string' },
  'ask-sudo-password': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ScanValues = {
  [K in keyof typeof SCAN_OPTIONS]?: (typeof SCAN_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof SCAN_OPTIONS)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

export interface Environment {
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function scanSettings(values: ScanValues, environment: Environment): ScanSettings {
  const benchmark = values.benchmark === undefined ? DEFAULT_BENCHMARK : parseBenchmark(values.benchmark);
  if (!benchmark) throw new UsageError(`unknown benchmark ${JSON.stringify(values.benchmark)}; choose one of ${BENCHMARKS.join(', ')}`);
  const format = values.format === undefined ? undefined : oneOf('--format', values.format, FORMATS);
  const outputs = (values.output ?? []).map((path): OutputFile => {
    const byExtension = EXTENSIONS[extname(path).toLowerCase()];
    if (!byExtension) throw new UsageError(`cannot tell the format of ${path} from its extension; use ${Object.keys(EXTENSIONS).join(' or ')}`);
    return { path, format: byExtension };
  });
  const failOn = values['fail-on'] === undefined ? 'fail' : oneOf('--fail-on', values['fail-on'], FAIL_ON);
  if (values['accept-new-host-keys'] && values['insecure-accept-any-host-key']) {
    throw new UsageError('--accept-new-host-keys and --insecure-accept-any-host-key contradict each other; choose one');
  }
  const home = environment.home;
  const knownHostsFiles = values['known-hosts'] ?? [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
  const identityFiles = values.identity ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name)).filter((path) => existsSync(path));

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
    askSudoPassword: values['ask-sudo-password'] ?? false,
  };
  if (values.baseline !== undefined) settings.baseline = values.baseline;
  if (values.waivers !== undefined) settings.waivers = values.waivers;
  if (settings.askSudoPassword && !environment.stdinIsTTY)
    throw new UsageError('--ask-sudo-password needs a terminal; without one, put the password in FLEETBENCH_SUDO_PASSWORD');
  // Without -o the report goes to stdout; with -o only, stdout stays quiet for cron unless a person
  // is watching, who gets the interactive report instead when the terminal allows it.
  if (format) settings.stdoutFormat = format;
  else if (!settings.interactive && (outputs.length === 0 || environment.stdoutIsTTY)) settings.stdoutFormat = 'text';
  return settings;
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
