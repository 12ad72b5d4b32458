import { shellQuote } from '../shell-quote.js';
import type { MemberListResult } from '../model.js';
import { readRecords } from './parse-output.js';

// `etcdctl member list` against a host's local etcd member, with the member's own certificates:
// the live membership, where --initial-cluster only tells how the cluster was bootstrapped.
//
// It runs in the probe's own shell, sent on its stdin once the probe is done (see probe.sh), so it
// has the probe's privileges, PATH, nonce and record functions, and costs the host no second
// session or sudo. Its answer comes back in the probe's framing:
//   data members (etcdctl's stdout), data members-stderr, members-status <exit status>.

export interface MemberListQuery {
  endpoint: string;
  cacert?: string;
  cert?: string;
  key?: string;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/+@=-]*$/;
const SAFE_ENDPOINT = /^https?:\/\/[A-Za-z0-9.:[\]-]+(:\d+)?\/?$/;

/** The shell text for the probe's shell, or undefined when the values do not look like an endpoint and paths. */
export function memberListFollowUp(query: MemberListQuery): string | undefined {
  if (!SAFE_ENDPOINT.test(query.endpoint)) return undefined;
  const args = [`--endpoints=${query.endpoint}`, '--dial-timeout=3s', '--command-timeout=5s'];
  for (const [flag, path] of [['cacert', query.cacert], ['cert', query.cert], ['key', query.key]] as const) {
    if (path === undefined) continue;
    if (!SAFE_PATH.test(path)) return undefined;
    args.push(`--${flag}=${path}`);
  }
  args.push('member', 'list', '-w', 'json');
  // etcdctl's stdout goes straight to the probe's stdout (fd 4) inside the `members` record; its
  // stderr is captured for a record of its own.
  const etcdctl =
    "command -v etcdctl >/dev/null || { echo 'etcdctl is not installed on this host' >&2; exit 127; }; " +
    `ETCDCTL_API=3 exec etcdctl ${args.map(shellQuote).join(' ')}`;
  return `b members; FB_ERR=$( (${etcdctl}) 2>&1 >&4 </dev/null); s=$?; e; b members-stderr; printf '%s' "$FB_ERR"; e; r members-status $s\n`;
}

/** What the follow-up printed (the output after the probe's `done`). */
export function readMemberList(output: Buffer, nonce: string): MemberListResult {
  const { records } = readRecords(output, nonce);
  const text = (kind: string) => records.find((r) => r.kind === kind)?.payload?.toString('utf8');
  const status = records.find((r) => r.kind === 'members-status')?.args;
  if (status === undefined || !/^\d+$/.test(status)) {
    return { ok: false, members: [], error: 'the host did not finish the member list query' };
  }
  return parseMemberList(text('members') ?? '', text('members-stderr') ?? '', Number(status));
}

function parseMemberList(stdout: string, stderr: string, code: number): MemberListResult {
  if (code !== 0) {
    return { ok: false, members: [], error: (stderr.trim().split('\n').at(-1) ?? '').slice(0, 300) || `etcdctl exited with ${code}` };
  }
  try {
    const parsed = JSON.parse(stdout) as { members?: { name?: unknown; peerURLs?: unknown }[] };
    const members = (parsed.members ?? []).map((m) => ({
      name: typeof m.name === 'string' ? m.name : '',
      peerUrls: Array.isArray(m.peerURLs) ? m.peerURLs.filter((u): u is string => typeof u === 'string') : [],
    }));
    return { ok: true, members };
  } catch {
    return { ok: false, members: [], error: 'etcdctl printed something that is not JSON' };
  }
}
