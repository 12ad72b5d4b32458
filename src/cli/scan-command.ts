import type { Inventory, ScanResult, Target } from '../model.js';
import { compareWithBaseline } from '../result/baseline.js';
import { readResultFile } from '../result/result-file.js';
import { safeLine } from '../report/terminal-text.js';
import { applyWaivers } from '../result/waivers/apply.js';
import { loadWaiverFile } from '../result/waivers/waiver-file.js';
import { availableParallelism } from 'node:os';
import { FirstUseLedger } from '../ssh/first-use.js';
import { stopAllProxyCommands } from '../ssh/proxy-command.js';
import { prepareSsh } from '../ssh/ssh-setup.js';
import type { SshSetup } from '../ssh/ssh-setup.js';
import { scan } from '../scan/scan.js';
import type { ScanEvent, ScanOptions, ScanProgress } from '../scan/scan.js';
import { threadsFor } from '../scan/threads/partition.js';
import { scanInThreads, stopAllThreads } from '../scan/threads/scan-in-threads.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import type { ScanSettings } from './options.js';
import { loadTui } from './load-tui.js';
import { coverageNotes } from '../report/coverage.js';
import { renderReport, scanNextSteps } from '../report/formats.js';
import type { NextSteps } from '../report/text.js';
import { progressLine } from './progress.js';
import { askSudoPassword, SUDO_PASSWORD_ENV } from './sudo-password.js';
import { writeOutputs } from './outputs.js';
import type { Scope } from './scope.js';

export interface Io {
  /** Read only by the interactive report, for keys. */
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Scans what `scope` covers, writes the requested outputs, and returns the exit code. */
export async function runScan(scope: Scope, settings: ScanSettings, io: Io): Promise<{ code: number; result: ScanResult }> {
  const { inventory, rules } = scope;
  let progress: ScanProgress | undefined;
  const log = (message: string) => {
    if (settings.quiet) return;
    if (progress) progress.note(`fleetbench: ${message}`);
    else io.stderr.write(`fleetbench: ${message}\n`);
  };
  for (const note of scope.notes) log(safeLine(note));
  // Bad waiver or baseline files fail before a long scan, not after it.
  const waivers = settings.waivers ? await loadWaiverFile(settings.waivers, { knownRuleIds: rules.map((r) => r.id) }) : [];
  const baseline = settings.baseline ? { file: settings.baseline, result: await readResultFile(settings.baseline) } : undefined;
  const sudoPassword = settings.askSudoPassword ? await askSudoPassword(io.stdin, io.stderr) : io.env[SUDO_PASSWORD_ENV];
  for (const warning of inventory.warnings ?? []) log(safeLine(warning));
  const agent = io.env.SSH_AUTH_SOCK;
  const setup: SshSetup = {
    identityFiles: settings.identityFiles,
    knownHostsFiles: settings.knownHostsFiles,
    acceptNewHostKeys: settings.acceptNewHostKeys,
    insecureAcceptAnyHostKey: settings.insecureAcceptAnyHostKey,
    connectTimeoutMs: settings.connectTimeoutMs,
    ...(agent ? { agent } : {}),
  };
  const firstUse = new FirstUseLedger((message) => log(safeLine(message)));
  const ssh = await prepareSsh(setup, inventory.targets, firstUse, log);
  const threads = threadsFor(inventory.targets, availableParallelism(), settings.concurrency, settings.threads);
  if (settings.verbosity > 0 && threads > 1) log(`scanning with ${threads} threads`);

  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) {
      // ProxyCommands run in process groups of their own: nothing else would end them.
      stopAllProxyCommands();
      void stopAllThreads().finally(() => process.exit(130));
      return;
    }
    log(`${signal}: stopping; hosts not finished are reported as not scanned (again to quit at once)`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (settings.verbosity > 0) log(safeLine(scopeSummary(scope)));
  progress = await progressFor(inventory, settings, io);
  const verbose = settings.verbosity > 0 ? verboseEvents(settings.verbosity, inventory, log) : undefined;
  const onEvent = progress || verbose ? (event: ScanEvent) => (progress?.update(event), verbose?.(event)) : undefined;
  let result: ScanResult;
  try {
    const options: ScanOptions = {
      inventory,
      clusterPeers: scope.clusterPeers,
      rules,
      benchmark: settings.benchmark,
      concurrency: settings.concurrency,
      ssh,
      hostTimeoutMs: settings.hostTimeoutMs,
      maxOutputBytes: settings.maxOutputBytes,
      signal: interrupt.signal,
      ...(sudoPassword ? { sudoPassword } : {}),
      ...(onEvent ? { onEvent } : {}),
    };
    result = threads > 1 ? await scanInThreads({ ...options, threads, setup, firstUse }) : await scan(options);
    if (scope.selection) result = { ...result, selection: scope.selection };
    if (waivers.length > 0) result = applyWaivers(result, waivers, new Date());
    if (baseline) result = compareWithBaseline(result, baseline.result, baseline.file);
  } finally {
    await progress?.finish();
    progress = undefined;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  return { code: deliver(result, settings, io, log, scanNextSteps(settings.outputs)), result };
}

/**
 * Writes the -o files and the report on stdout; the exit code for `result`, or EXIT.cannotWrite
 * when an output could not be written (each failure is said on stderr, -q or not, and the other
 * outputs are written all the same).
 */
export function deliver(
  result: ScanResult,
  settings: DeliverSettings,
  io: Pick<Io, 'stdout' | 'stderr'>,
  log: (message: string) => void,
  nextSteps?: NextSteps,
): number {
  const failures = writeOutputs(result, settings.outputs, settings, (path) => log(`wrote ${path}`));
  for (const failure of failures) io.stderr.write(`fleetbench: ${safeLine(failure)}\n`);
  const csvNote = csvCoverageNote(result, settings);
  if (csvNote !== undefined) log(safeLine(csvNote));
  // What to run next is for the person reading stdout, not for the files.
  if (settings.stdoutFormat)
    for (const piece of renderReport(result, settings.stdoutFormat, { ...settings, ...(nextSteps ? { nextSteps } : {}) })) io.stdout.write(piece);
  return failures.length > 0 ? EXIT.cannotWrite : exitCodeFor(result, settings.failOn);
}

/**
 * A CSV has a row per finding and nowhere to say what the result leaves out: what has no row is
 * not told from what passed by omission. Said on stderr rather than lost without a word.
 */
function csvCoverageNote(result: ScanResult, settings: DeliverSettings): string | undefined {
  const notes = coverageNotes(result);
  const csv = [
    ...settings.outputs.filter((output) => output.format === 'csv').map((output) => output.path),
    ...(settings.stdoutFormat === 'csv' ? ['the CSV on stdout'] : []),
  ];
  if (notes.length === 0 || csv.length === 0) return undefined;
  const what = notes.map((note) => note.title.toLowerCase()).join(', ');
  return `${csv.join(', ')}: a CSV has no place to say what this result leaves out (${what}); the JSON, HTML and text reports say it`;
}

/** What deliver needs of the settings: where the report goes, how, and what fails the run. */
export type DeliverSettings = Pick<ScanSettings, 'outputs' | 'stdoutFormat' | 'color' | 'all' | 'failOn'>;

/** -v: what the scan covers, in a line. */
function scopeSummary(scope: Scope): string {
  const { inventory, rules, selection } = scope;
  const clusters = new Set(inventory.targets.map((t) => t.cluster)).size;
  const hosts = `${inventory.targets.length} host${inventory.targets.length === 1 ? '' : 's'} in ${clusters} cluster${clusters === 1 ? '' : 's'}`;
  const limit = selection?.limit === undefined ? '' : ` (--limit ${selection.limit} leaves out ${selection.hostsLeftOut})`;
  const left = selection?.rulesLeftOut.length ? ` (--check/--skip leave out ${selection.rulesLeftOut.join(', ')})` : '';
  return `scanning ${hosts} of ${inventory.source}${limit}, ${rules.length} control${rules.length === 1 ? '' : 's'}${left}`;
}

/** -v: a line per host as it finishes; -vv: also as it starts, and a line per cluster as it is judged. */
function verboseEvents(level: number, inventory: Inventory, log: (message: string) => void): (event: ScanEvent) => void {
  const targets = new Map(inventory.targets.map((target) => [target.name, target]));
  return (event) => {
    if (event.type === 'host-finished') {
      const { name, cluster, reached, privilege, durationMs, error } = event.outcome;
      const how = reached ? `scanned as ${privilege ?? 'unknown'}` : `not scanned: ${error ?? 'unknown error'}`;
      log(safeLine(`${cluster}/${name}: ${how} (${(durationMs / 1000).toFixed(1)} s)`));
    } else if (level > 1 && event.type === 'host-started') {
      const target = targets.get(event.host);
      if (target !== undefined) log(safeLine(`${target.cluster}/${target.name}: connecting to ${reach(target)}`));
    } else if (level > 1 && event.type === 'cluster-evaluated') {
      const failing = event.findings.filter((f) => f.status === 'FAIL').length;
      log(safeLine(`cluster ${event.cluster} judged: ${event.findings.length} findings, ${failing} FAIL`));
    }
  };
}

/** `user@address:port`, with sudo and the jump chain, as -vv shows how a host is reached. */
function reach(target: Target): string {
  const hops: string[] = [];
  for (let hop = target.jump; hop !== undefined; hop = hop.jump) hops.unshift(`${hop.user}@${hop.address}:${hop.port}`);
  return `${target.user}@${target.address}:${target.port}${target.become ? ' with sudo' : ''}${hops.length > 0 ? ` through ${hops.join(' > ')}` : ''}`;
}

async function progressFor(inventory: Inventory, settings: ScanSettings, io: Io): Promise<ScanProgress | undefined> {
  if (settings.quiet) return undefined;
  if (settings.interactive) {
    const { startLiveView } = await loadTui();
    return startLiveView(io, { targets: inventory.targets, benchmark: `CIS ${settings.benchmark}`, color: settings.color });
  }
  return io.stderrIsTTY ? progressLine(inventory.targets.length, io.stderr) : undefined;
}
