import type { MemberListQuery } from '../collect/member-list.js';
import type { FileFact, HostSnapshot } from '../model.js';
import type { HostComponents } from './host-components.js';
import { hostPath, lookup } from './host-components.js';

export type MemberListPlan = { ok: true; query: MemberListQuery } | { ok: false; reason: string };

/**
 * How to ask the host's running etcd member for the member list, as the probe's root shell will:
 * only the etcd whose configuration the verdicts are about (a process the probe trusted), over
 * https, at an address it listens on itself, with its own client certificate, key and CA, each a
 * file the probe followed (so no ordinary user could have put it there). Anything else is not
 * asked, and the reason says why: root's etcdctl must never be steered elsewhere.
 */
export function memberListPlan(components: HostComponents, snapshot: HostSnapshot): MemberListPlan | undefined {
  if (snapshot.privilege === 'unprivileged') return undefined;
  const instance = components.etcd.find((i) => i.running && i.pid !== undefined);
  const config = instance?.running;
  if (!instance || !config || instance.pid === undefined) return undefined;
  const value = (key: string) => {
    const found = lookup(config, key);
    return found.state === 'set' && found.setting.value !== '' ? found.setting.value : undefined;
  };
  const urls = (value('listen-client-urls') ?? 'http://localhost:2379')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const secure = urls.map(parseListenUrl).filter((u): u is ListenUrl => u !== undefined && u.https);
  if (secure.length === 0)
    return { ok: false, reason: `etcd (pid ${instance.pid}) serves clients only without TLS (${urls.join(', ')}): the member list is asked over https only` };
  const listen = secure.find((u) => u.loopback) ?? secure[0]!;

  const files: Partial<Record<'cacert' | 'cert' | 'key', string>> = {};
  for (const [flag, key] of [
    ['cacert', 'trusted-ca-file'],
    ['cert', 'cert-file'],
    ['key', 'key-file'],
  ] as const) {
    const named = value(key);
    if (named === undefined)
      return { ok: false, reason: `etcd (pid ${instance.pid}) has no --${key}: the member list is asked only with etcd's own client certificate, key and CA` };
    const path = hostPath(named, instance);
    const problem = notFollowed(snapshot.files[path]);
    if (problem) return { ok: false, reason: `etcd's --${key} ${path} ${problem}: the member list was not asked` };
    files[flag] = path;
  }
  return {
    ok: true,
    query: {
      pid: instance.pid,
      endpoint: listen.endpoint,
      listenAddresses: listen.socketAddresses,
      port: listen.port,
      cacert: files.cacert!,
      cert: files.cert!,
      key: files.key!,
    },
  };
}

/** Why the probe did not vouch for a file (it was not followed, or not seen at all), or undefined when it did. */
function notFollowed(file: FileFact | undefined): string | undefined {
  if (!file) return 'was not examined by the probe';
  if (!file.exists) return file.unreadable ? `was ${file.unreadable.startsWith('not followed') ? '' : 'not seen: '}${file.unreadable}` : 'does not exist';
  if (file.mode === undefined) return 'could not be examined';
  return undefined;
}

interface ListenUrl {
  https: boolean;
  loopback: boolean;
  /** Where etcdctl connects: a wildcard listener is reached at loopback. */
  endpoint: string;
  port: number;
  /** The local addresses a listening socket for this URL shows in /proc/net/tcp{,6}, as printed there. */
  socketAddresses: string[];
}

const V4_ANY = '00000000';
const V6_ANY = '0'.repeat(32);

function parseListenUrl(text: string): ListenUrl | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const v6 = host.includes(':');
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const connectTo = wildcard || host === 'localhost' ? (v6 ? '::1' : '127.0.0.1') : host;
  const exact = v6 ? procNetV6(connectTo) : procNetV4(connectTo);
  if (exact === undefined) return undefined;
  return {
    https: url.protocol === 'https:',
    loopback: wildcard || host === 'localhost' || host === '127.0.0.1' || host === '::1',
    endpoint: `https://${v6 ? `[${connectTo}]` : connectTo}:${port}`,
    port,
    // A wildcard listener serves every address; so does one on [::] for IPv4 too.
    socketAddresses: [exact, V4_ANY, V6_ANY],
  };
}

/** An IPv4 address as /proc/net/tcp prints it: the 32-bit word in host (little-endian) order. */
function procNetV4(address: string): string | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts
    .reverse()
    .map((p) => p.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** An IPv6 address as /proc/net/tcp6 prints it: four 32-bit words, each in host (little-endian) order. */
function procNetV6(address: string): string | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  let hex = '';
  for (let word = 0; word < 4; word++)
    hex += bytes
      .slice(word * 4, word * 4 + 4)
      .reverse()
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  return hex.toUpperCase();
}
