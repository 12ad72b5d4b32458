import type { HostSnapshot, Target } from '../model.js';
import { launcherCommand } from '../collect/launcher.js';
import { parseProbeOutput, ProbeOutputError } from '../collect/parse-output.js';
import { newNonce, probeScript } from '../collect/probe.js';
import { connect } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { HostError } from '../ssh/errors.js';
import { exec } from '../ssh/exec.js';

export interface CollectOptions {
  ssh: SshOptions;
  /** Deadline for everything on one host: connecting, authenticating, running the probe. */
  hostTimeoutMs: number;
  maxOutputBytes: number;
  /** Aborts the host (the scan was interrupted). */
  signal?: AbortSignal;
}

/** Connects to one host, runs the probe once, and returns what it saw. Throws HostError. */
export async function collectHost(target: Target, options: CollectOptions): Promise<HostSnapshot> {
  const deadline = new AbortController();
  let stage = 'connecting';
  const timer = setTimeout(() => {
    deadline.abort(new HostError('timeout', `no result within ${options.hostTimeoutMs / 1000}s (stopped while ${stage})`));
  }, options.hostTimeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;

  let client;
  let ok = false;
  try {
    client = await connect(target, options.ssh, signal);
    stage = 'running the probe';
    const nonce = newNonce();
    const result = await exec(client, launcherCommand(target.become), {
      stdin: probeScript(nonce),
      maxOutputBytes: options.maxOutputBytes,
      signal,
    });
    try {
      const snapshot = parseProbeOutput(result.stdout, { target: target.name, nonce, collectedAt: new Date().toISOString(), user: target.user });
      ok = true;
      return snapshot;
    } catch (error) {
      if (!(error instanceof ProbeOutputError)) throw error;
      const said = firstLines(result.stderr.toString('utf8')) || firstLines(result.stdout.toString('utf8'));
      const status = result.code === null ? `no exit status${result.signal ? `, signal ${result.signal}` : ''}` : `exit status ${result.code}`;
      throw new HostError('probe', `${error.message} (${status}${said ? `; the host said: ${said}` : ''})`);
    }
  } finally {
    clearTimeout(timer);
    // A host that misbehaved gets no goodbye: end() could wait on it.
    if (ok) client?.end();
    else client?.destroy();
  }
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' | ').slice(0, 300);
}
