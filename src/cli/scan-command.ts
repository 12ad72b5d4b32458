import type { Inventory, ScanResult } from '../model.js';
import { renderJson } from '../report/json.js';
import { safeLine } from '../report/terminal-text.js';
import { renderText } from '../report/text.js';
import type { Rule } from '../rules/rule-file.js';
import type { HostKeyPolicy } from '../ssh/host-keys.js';
import { isLoaded, loadKeys } from '../ssh/keys.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
import { scan } from '../scan/scan.js';
import type { ScanEvent } from '../scan/scan.js';
import { exitCodeFor } from './exit-codes.js';
import type { Format, ScanSettings } from './options.js';
import { writeFileAtomic } from './write-file.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Scans an inventory, writes the requested outputs, and returns the exit code. */
export async function runScan(inventory: Inventory, rules: Rule[], settings: ScanSettings, io: Io): Promise<{ code: number; result: ScanResult }> {
  const log = (message: string) => {
    if (!settings.quiet) io.stderr.write(`fleetbench: ${message}\n`);
  };
  const hostKeys = await hostKeyPolicy(settings, log);
  const keyFiles = new Set([...settings.identityFiles, ...inventory.targets.flatMap((t) => t.identityFiles)]);
  const keys = await loadKeys(keyFiles);
  for (const path of keyFiles) {
    const entry = keys.get(path);
    if (!isLoaded(entry)) log(`identity file ${path} will not be used: ${entry.reason}`);
  }

  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    log(`${signal}: stopping; hosts not finished are reported as not scanned (again to quit at once)`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = io.stderrIsTTY && !settings.quiet ? progressLine(inventory.targets.length, io.stderr) : undefined;
  let result: ScanResult;
  try {
    const ssh = {
      hostKeys,
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
      ...(progress ? { onEvent: progress.update } : {}),
    });
  } finally {
    progress?.done();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  for (const output of settings.outputs) {
    await writeFileAtomic(output.path, render(result, output.format, { ...settings, color: false }));
    log(`wrote ${output.path}`);
  }
  if (settings.stdoutFormat) io.stdout.write(render(result, settings.stdoutFormat, settings));
  return { code: exitCodeFor(result, settings.failOn), result };
}

function render(result: ScanResult, format: Format, settings: Pick<ScanSettings, 'color' | 'all'>): string {
  return format === 'json' ? renderJson(result) : renderText(result, { color: settings.color, all: settings.all });
}

async function hostKeyPolicy(settings: ScanSettings, log: (message: string) => void): Promise<HostKeyPolicy> {
  if (settings.insecureAcceptAnyHostKey) {
    log('WARNING: --insecure-accept-any-host-key: host keys are NOT verified; anyone on the path can impersonate these hosts and feed this scan false results');
    return { mode: 'insecure-accept-any' };
  }
  const knownHosts = await loadKnownHosts(settings.knownHostsFiles);
  for (const warning of knownHosts.warnings.filter((w) => w.line > 0)) log(`${warning.file}:${warning.line}: ${warning.message}`);
  const files = settings.knownHostsFiles;
  if (settings.acceptNewHostKeys) return { mode: 'accept-new', knownHosts, files, recordTo: files[0]! };
  return { mode: 'strict', knownHosts, files };
}

/** One line on stderr that follows the scan, for a person watching a terminal. */
function progressLine(total: number, stderr: NodeJS.WritableStream) {
  let finished = 0;
  let failed = 0;
  let started = 0;
  const begin = Date.now();
  const draw = () => {
    const seconds = ((Date.now() - begin) / 1000).toFixed(1);
    stderr.write(`\r\u001b[2Kscanning: ${finished}/${total} hosts done, ${started - finished} in flight, ${failed} unreachable or failed · ${seconds} s`);
  };
  return {
    update(event: ScanEvent) {
      if (event.type === 'host-started') started += 1;
      if (event.type === 'host-finished') {
        finished += 1;
        if (!event.outcome.reached) failed += 1;
      }
      draw();
    },
    done() {
      stderr.write('\r\u001b[2K');
    },
  };
}
