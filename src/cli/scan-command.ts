import type { Inventory, ScanResult, Target } from '../model.js';
import { compareWithBaseline } from '../result/baseline.js';
import { readResultFile } from '../result/result-file.js';
import { safeLine } from '../report/terminal-text.js';
import { applyWaivers } from '../result/waivers/apply.js';
import { loadWaiverFile } from '../result/waivers/waiver-file.js';
import type { Rule } from '../rules/rule-file.js';
import { knownHostsKey, policyFor } from '../ssh/host-keys.js';
import type { HostKeySettings } from '../ssh/host-keys.js';
import { isLoaded, loadKeys } from '../ssh/keys.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
import { stopAllProxyCommands } from '../ssh/proxy-command.js';
import type { KnownHosts } from '../ssh/known-hosts.js';
import { withHops } from '../inventory/jump-targets.js';
import { scan } from '../scan/scan.js';
import type { ScanProgress } from '../scan/scan.js';
import { exitCodeFor } from './exit-codes.js';
import type { ScanSettings } from './options.js';
import { loadTui } from './load-tui.js';
import { renderReport, scanNextSteps } from '../report/formats.js';
import { progressLine } from './progress.js';
import { askSudoPassword, SUDO_PASSWORD_ENV } from './sudo-password.js';
import { writeFileAtomic } from './write-file.js';

export interface Io {
  /** Read only by the interactive report, for keys. */
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Scans an inventory, writes the requested outputs, and returns the exit code. */
export async function runScan(inventory: Inventory, rules: Rule[], settings: ScanSettings, io: Io): Promise<{ code: number; result: ScanResult }> {
  let progress: ScanProgress | undefined;
  const log = (message: string) => {
    if (settings.quiet) return;
    if (progress) progress.note(`fleetbench: ${message}`);
    else io.stderr.write(`fleetbench: ${message}\n`);
  };
  // Bad waiver or baseline files fail before a long scan, not after it.
  const waivers = settings.waivers ? await loadWaiverFile(settings.waivers, { knownRuleIds: rules.map((r) => r.id) }) : [];
  const baseline = settings.baseline ? { file: settings.baseline, result: await readResultFile(settings.baseline) } : undefined;
  const sudoPassword = settings.askSudoPassword ? await askSudoPassword(io.stdin, io.stderr) : io.env[SUDO_PASSWORD_ENV];
  const hostKeys = await hostKeySettings(settings, inventory, log);
  for (const warning of inventory.warnings ?? []) log(safeLine(warning));
  // Jump hosts may name keys of their own (a kubespray bastion's ansible_ssh_private_key_file).
  const keyFiles = new Set([...settings.identityFiles, ...inventory.targets.flatMap(withHops).flatMap((t) => t.identityFiles)]);
  const keys = await loadKeys(keyFiles);
  for (const path of keyFiles) {
    const entry = keys.get(path);
    if (!isLoaded(entry)) log(`identity file ${path} will not be used: ${entry.reason}`);
  }

  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) {
      // ProxyCommands run in process groups of their own: nothing else would end them.
      stopAllProxyCommands();
      process.exit(130);
    }
    log(`${signal}: stopping; hosts not finished are reported as not scanned (again to quit at once)`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  progress = await progressFor(inventory, settings, io);
  let result: ScanResult;
  try {
    const ssh = {
      hostKeys: (target: Target) => policyFor(hostKeys, target),
      keys,
      defaultIdentityFiles: settings.identityFiles,
      connectTimeoutMs: settings.connectTimeoutMs,
      onHostKeyRecorded: (message: string) => log(safeLine(message)),
    };
    const agent = io.env.SSH_AUTH_SOCK;
    result = await scan({
      inventory,
      rules,
      benchmark: settings.benchmark,
      concurrency: settings.concurrency,
      ssh: agent ? { ...ssh, agent } : ssh,
      hostTimeoutMs: settings.hostTimeoutMs,
      maxOutputBytes: settings.maxOutputBytes,
      signal: interrupt.signal,
      ...(sudoPassword ? { sudoPassword } : {}),
      ...(progress ? { onEvent: progress.update } : {}),
    });
    if (waivers.length > 0) result = applyWaivers(result, waivers, new Date());
    if (baseline) result = compareWithBaseline(result, baseline.result, baseline.file);
  } finally {
    await progress?.finish();
    progress = undefined;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  for (const output of settings.outputs) {
    writeFileAtomic(output.path, renderReport(result, output.format, { ...settings, color: false }));
    log(`wrote ${output.path}`);
  }
  if (settings.stdoutFormat) {
    for (const piece of renderReport(result, settings.stdoutFormat, { ...settings, nextSteps: scanNextSteps(settings.outputs) })) io.stdout.write(piece);
  }
  return { code: exitCodeFor(result, settings.failOn), result };
}

async function progressFor(inventory: Inventory, settings: ScanSettings, io: Io): Promise<ScanProgress | undefined> {
  if (settings.quiet) return undefined;
  if (settings.interactive) {
    const { startLiveView } = await loadTui();
    return startLiveView(io, { targets: inventory.targets, benchmark: `CIS ${settings.benchmark}`, color: settings.color });
  }
  return io.stderrIsTTY ? progressLine(inventory.targets.length, io.stderr) : undefined;
}

async function hostKeySettings(settings: ScanSettings, inventory: Inventory, log: (message: string) => void): Promise<HostKeySettings> {
  if (settings.insecureAcceptAnyHostKey) {
    log('WARNING: --insecure-accept-any-host-key: host keys are NOT verified; anyone on the path can impersonate these hosts and feed this scan false results');
  }
  const load = async (files: string[]) => {
    const knownHosts = await loadKnownHosts(files);
    for (const warning of knownHosts.warnings.filter((w) => w.line > 0)) log(`${warning.file}:${warning.line}: ${warning.message}`);
    return knownHosts;
  };
  // Hosts (and jump hosts) whose ssh_config names their own known_hosts files.
  const perTarget = new Map<string, KnownHosts>();
  for (const target of inventory.targets.flatMap(withHops)) {
    if (target.knownHostsFiles && !perTarget.has(knownHostsKey(target.knownHostsFiles))) {
      perTarget.set(knownHostsKey(target.knownHostsFiles), await load(target.knownHostsFiles));
    }
  }
  return {
    insecureAcceptAny: settings.insecureAcceptAnyHostKey,
    acceptNew: settings.acceptNewHostKeys,
    files: settings.knownHostsFiles,
    knownHosts: await load(settings.knownHostsFiles),
    perTarget,
  };
}
