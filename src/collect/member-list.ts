import { shellQuote } from '../shell-quote.js';
import type { MemberListResult } from '../model.js';

// `etcdctl member list` against a host's local etcd member, with the member's own certificates:
// the live membership, where --initial-cluster only tells how the cluster was bootstrapped.

export interface MemberListQuery {
  endpoint: string;
  cacert?: string;
  cert?: string;
  key?: string;
  sudo: boolean;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/+@=-]*$/;
const SAFE_ENDPOINT = /^https?:\/\/[A-Za-z0-9.:[\]-]+(:\d+)?\/?$/;

/** The command to run, or undefined when the values do not look like an endpoint and paths. */
export function memberListCommand(query: MemberListQuery): string | undefined {
  if (!SAFE_ENDPOINT.test(query.endpoint)) return undefined;
  const args = [`--endpoints=${query.endpoint}`, '--dial-timeout=3s', '--command-timeout=5s'];
  for (const [flag, path] of [['cacert', query.cacert], ['cert', query.cert], ['key', query.key]] as const) {
    if (path === undefined) continue;
    if (!SAFE_PATH.test(path)) return undefined;
    args.push(`--${flag}=${path}`);
  }
  args.push('member', 'list', '-w', 'json');
  const script = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; command -v etcdctl >/dev/null || { echo 'etcdctl is not installed on this host' >&2; exit 127; }; ETCDCTL_API=3 exec etcdctl \"$@\"";
  return `${query.sudo ? 'sudo -n ' : ''}sh -c ${shellQuote(script)} sh ${args.map(shellQuote).join(' ')}`;
}

export function parseMemberList(stdout: string, stderr: string, code: number | null): MemberListResult {
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
