import type { HostSnapshot, Target } from '../model.js';
import { memberListFollowUp, readMemberList } from '../collect/member-list.js';
import { fileFollowUp } from '../collect/file-follow-up.js';
import { listingKeys } from '../collect/host-paths.js';
import type { ParseOptions } from '../collect/parse-output.js';
import { finalRecord, parseProbeOutput, ProbeOutputError } from '../collect/parse-output.js';
import { redact } from '../collect/redact.js';
import { connectWithRetries } from '../ssh/connect.js';
import type { SshOptions } from '../ssh/connect.js';
import { HostError } from '../ssh/errors.js';
import type { RetryPolicy } from '../ssh/retry.js';
import { DEFAULT_RETRY } from '../ssh/retry.js';
import type { HostComponents } from '../effective/host-components.js';
import { discoverComponents } from '../effective/discover.js';
import { filesToAsk } from '../effective/file-needs.js';
import { memberListPlan } from '../effective/member-query.js';
import type { MemberListClaims } from './member-list-claims.js';
import { startProbe } from './probe-session.js';

/** Round trips for more files: a data dir named in an env file named by the unit takes two. */
export const MAX_FILE_FOLLOW_UPS = 3;

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
      user: target.user,
      ...(target.become && options.sudoPassword !== undefined ? { sudoPassword: options.sudoPassword } : {}),
      maxOutputBytes: options.maxOutputBytes,
      signal,
      // The probe ends itself when this host's time is up, so nothing of it outlives the scan's wait.
      deadlineSeconds: Math.max(1, Math.ceil((options.hostTimeoutMs - (Date.now() - startedAt)) / 1000)),
    });
    const { nonce } = session;
    // Whatever the host sends is cleaned of the sudo password before anything reads it.
    const clean = (output: Buffer) => redact(output, target.become && options.sudoPassword !== undefined ? [options.sudoPassword] : []);
    const parseOptions: ParseOptions = { target: target.name, nonce, collectedAt: new Date().toISOString(), user: target.user, listed: [] };
    if (session.sudoRefusal !== undefined) parseOptions.sudoRefusal = session.sudoRefusal;
    const followUps: Buffer[] = [];
    // Where the answer to the next command starts in the session's output.
    let answeredUpTo = session.output.length;
    const parse = async () => {
      try {
        return parseProbeOutput(clean(session.output), parseOptions, followUps);
      } catch (error) {
        if (!(error instanceof ProbeOutputError)) throw error;
        const result = await session.finish();
        const said = firstLines(clean(result.stderr).toString('utf8')) || firstLines(clean(result.stdout).toString('utf8'));
        const status = result.code === null ? `no exit status${result.signal ? `, signal ${result.signal}` : ''}` : `exit status ${result.code}`;
        throw new HostError('probe', `${error.message} (${status}${said ? `; the host said: ${said}` : ''})`);
      }
    };
    let snapshot = await parse();
    let components = discoverComponents(snapshot);
    // The files only parsing named (a k3s data dir, an EnvironmentFile=/etc/default/%N): read in
    // the probe's shell, on the hosts that need them only, then everything is discovered again.
    const asked = new Set<string>();
    for (let trip = 0; trip < MAX_FILE_FOLLOW_UPS; trip++) {
      const request = filesToAsk(components, snapshot, asked);
      const followUp = fileFollowUp(request);
      if (!followUp) break;
      for (const path of [...request.read, ...request.stat]) asked.add(path);
      const listings = request.pick.flatMap(listingKeys);
      for (const listing of listings) asked.add(listing);
      parseOptions.listed = [...(parseOptions.listed ?? []), ...listings];
      stage = 'reading the files the configuration names';
      const answer = await session.ask(followUp, finalRecord(nonce, 'files-done'));
      if (!answer) break;
      answeredUpTo += answer.length;
      followUps.push(clean(answer));
      snapshot = await parse();
      components = discoverComponents(snapshot);
    }
    const plan = memberListPlan(components, snapshot);
    const followUp = plan?.ok ? memberListFollowUp(plan.query) : undefined;
    if (plan && !plan.ok) snapshot.memberList = { ok: false, members: [], error: plan.reason };
    if (followUp && (options.memberLists?.claim(target.cluster) ?? true)) {
      stage = 'asking etcd for its member list';
      try {
        const ended = await session.finish(followUp);
        snapshot.memberList = readMemberList(clean(ended.stdout.subarray(answeredUpTo)), nonce);
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
