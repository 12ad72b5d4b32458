import type { HostSnapshot, Target } from '../model.js';
import { memberListFollowUp, readMemberList } from '../collect/member-list.js';
import { parseProbeOutput, ProbeOutputError } from '../collect/parse-output.js';
import { redact } from '../collect/redact.js';
import { connectWithRetries } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { HostError } from '../ssh/errors.js';
import type { RetryPolicy } from '../ssh/retry.js';
import { DEFAULT_RETRY } from '../ssh/retry.js';
import type { HostComponents } from '../effective/host-components.js';
import { discoverComponents } from '../effective/discover.js';
import { memberListPlan } from '../effective/member-query.js';
import type { MemberListClaims } from './member-list-claims.js';
import { startProbe } from './probe-session.js';

export interface CollectOptions {
  ssh: SshOptions;
  /** Deadline for everything on one host: connecting, authenticating, running the probe. */
  hostTimeoutMs: number;
  maxOutputBytes: number;
  /** Aborts the host (the scan was interrupted). */
  signal?: AbortSignal;
  retry?: RetryPolicy;
  /** For hosts with become whose sudo wants a password. Only ever written to the launcher's stdin. */
  sudoPassword?: string;
  /** Who asks each cluster for its member list: one host per cluster (see member-list-claims.ts). */
  memberLists?: MemberListClaims;
}

export interface Collected {
  snapshot: HostSnapshot;
  components: HostComponents;
  /** Connection attempts it took (more than one when sshd dropped connections before the handshake). */
  attempts: number;
}

/**
 * Connects to one host, runs the probe once, finds etcd and kube-apiserver in what it saw and,
 * when etcd runs there, asks it for its live member list in the probe's own shell. Throws HostError.
 */
export async function collectHost(target: Target, options: CollectOptions): Promise<Collected> {
  const deadline = new AbortController();
  const startedAt = Date.now();
  let stage = 'connecting';
  const timer = setTimeout(() => {
    deadline.abort(new HostError('timeout', `no result within ${options.hostTimeoutMs / 1000}s (stopped while ${stage})`));
  }, options.hostTimeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;

  let client;
  let ok = false;
  try {
    const connected = await connectWithRetries(target, options.ssh, options.retry ?? DEFAULT_RETRY, signal);
    client = connected.value;
    stage = 'running the probe';
    const session = await startProbe(client, {
      become: target.become,
      ...(target.become && options.sudoPassword !== undefined ? { sudoPassword: options.sudoPassword } : {}),
      maxOutputBytes: options.maxOutputBytes,
      signal,
      // The probe ends itself when this host's time is up, so nothing of it outlives the scan's wait.
      deadlineSeconds: Math.max(1, Math.ceil((options.hostTimeoutMs - (Date.now() - startedAt)) / 1000)),
    });
    const { nonce } = session;
    // Whatever the host sends is cleaned of the sudo password before anything reads it.
    const clean = (output: Buffer) => redact(output, target.become && options.sudoPassword !== undefined ? [options.sudoPassword] : []);
    let snapshot: HostSnapshot;
    try {
      snapshot = parseProbeOutput(clean(session.output), { target: target.name, nonce, collectedAt: new Date().toISOString(), user: target.user });
    } catch (error) {
      if (!(error instanceof ProbeOutputError)) throw error;
      const result = await session.finish();
      const said = firstLines(clean(result.stderr).toString('utf8')) || firstLines(clean(result.stdout).toString('utf8'));
      const status = result.code === null ? `no exit status${result.signal ? `, signal ${result.signal}` : ''}` : `exit status ${result.code}`;
      throw new HostError('probe', `${error.message} (${status}${said ? `; the host said: ${said}` : ''})`);
    }
    const components = discoverComponents(snapshot);
    const plan = memberListPlan(components, snapshot);
    const followUp = plan?.ok ? memberListFollowUp(plan.query) : undefined;
    if (plan && !plan.ok) snapshot.memberList = { ok: false, members: [], error: plan.reason };
    if (followUp && (options.memberLists?.claim(target.cluster) ?? true)) {
      stage = 'asking etcd for its member list';
      try {
        const ended = await session.finish(followUp);
        snapshot.memberList = readMemberList(clean(ended.stdout.subarray(session.output.length)), nonce);
      } catch (error) {
        // The member list only sharpens the cluster size; what the probe saw is kept.
        snapshot.memberList = { ok: false, members: [], error: error instanceof Error ? error.message : String(error) };
      }
      if (!snapshot.memberList.ok) options.memberLists?.release(target.cluster);
    } else {
      // Nothing more to ask: the end of its input ends the probe's shell, and client.end() the rest.
      void session.finish();
    }
    ok = true;
    return { snapshot, components, attempts: connected.attempts };
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
