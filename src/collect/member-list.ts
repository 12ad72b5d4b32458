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
// Before etcdctl runs, the shell checks that the etcd process is still there and itself holds a
// listening socket at the endpoint's port: between the probe and this command, an ordinary user
// must not be able to put a listener of their own where etcd was.

export interface MemberListQuery {
  /** The etcd process asked: the endpoint must be one of its own listening sockets. */
  pid: number;
  endpoint: string;
  port: number;
  /** Local addresses of an acceptable listening socket, as /proc/net/tcp{,6} prints them. */
  listenAddresses: string[];
  cacert: string;
  cert: string;
  key: string;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/+@=-]*$/;
const SAFE_ENDPOINT = /^https:\/\/[A-Za-z0-9.:[\]-]+:\d+$/;
/** The exit status of the follow-up when it did not run etcdctl because the check above failed. */
const NOT_ASKED = 125;

/** The shell text for the probe's shell, or undefined when the values do not look like an endpoint and paths. */
export function memberListFollowUp(query: MemberListQuery): string | undefined {
  if (!SAFE_ENDPOINT.test(query.endpoint) || !Number.isInteger(query.pid) || !Number.isInteger(query.port)) return undefined;
  if (!query.listenAddresses.every((a) => /^[0-9A-F]{8}([0-9A-F]{24})?$/.test(a))) return undefined;
  const args = [`--endpoints=${query.endpoint}`, '--dial-timeout=3s', '--command-timeout=5s'];
  for (const [flag, path] of [
    ['cacert', query.cacert],
    ['cert', query.cert],
    ['key', query.key],
  ] as const) {
    if (!SAFE_PATH.test(path)) return undefined;
    args.push(`--${flag}=${path}`);
  }
  args.push('member', 'list', '-w', 'json');
  const pid = String(query.pid);
  const port = query.port.toString(16).toUpperCase().padStart(4, '0');
  // The inodes of the listening (0A) sockets at that address and port, then whether one of them is
  // among the process's own descriptors.
  const listens =
    `awk -v P=${port} -v A=' ${query.listenAddresses.join(' ')} ' '$4 == "0A" && split($2, l, ":") == 2 && l[2] == P && index(A, " " l[1] " ") { print "socket:[" $10 "]" }' ` +
    `/proc/${pid}/net/tcp /proc/${pid}/net/tcp6 2>/dev/null`;
  const check =
    `[ -d /proc/${pid} ] || { echo 'etcd (pid ${pid}) is no longer running' >&2; exit ${NOT_ASKED}; }; ` +
    `FB_S=$(${listens}); FB_L=$(ls -l /proc/${pid}/fd 2>/dev/null); FB_OK=''; ` +
    `for FB_I in $FB_S; do case $FB_L in *"$FB_I"*) FB_OK=1;; esac; done; ` +
    `[ -n "$FB_OK" ] || { echo 'etcd (pid ${pid}) does not itself listen at ${query.endpoint}' >&2; exit ${NOT_ASKED}; }; `;
  // etcdctl's stdout goes straight to the probe's stdout (fd 4) inside the `members` record; its
  // stderr is captured for a record of its own.
  const etcdctl =
    check +
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
