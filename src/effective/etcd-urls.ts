// etcd's URL lists (--listen-client-urls, listen-peer-urls: in the config file...), as
// types.NewURLs reads them (etcd-io/etcd v3.5.33 client/pkg/types/urls.go L28-58: each item
// trimmed, scheme http, https, unix or unixs, http(s) as host:port without a path) and, for the
// addresses etcd binds, as checkBindURLs (v3.4.45 embed/config.go L925-944: an IP or localhost).
// Whether a listener speaks TLS is its scheme: https and unixs do; http and unix do not, and then
// etcd ignores its certificate and client-cert-auth there (embed/etcd.go configureClientListeners,
// configurePeerListeners: "scheme is HTTP while ... ignoring").

export interface EtcdUrl {
  text: string;
  scheme: 'http' | 'https' | 'unix' | 'unixs';
  host: string;
  tls: boolean;
}

export type EtcdUrls = { ok: true; urls: EtcdUrl[] } | { ok: false; error: string };

export function parseEtcdUrls(value: string, bind: boolean): EtcdUrls {
  const urls: EtcdUrl[] = [];
  for (const raw of value.split(',')) {
    const text = raw.trim();
    const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(text);
    const scheme = match?.[1]?.toLowerCase();
    if (!match || (scheme !== 'http' && scheme !== 'https' && scheme !== 'unix' && scheme !== 'unixs'))
      return { ok: false, error: `has ${JSON.stringify(text)}: the URL scheme must be http, https, unix or unixs` };
    const host = match[2]!;
    if (scheme === 'http' || scheme === 'https') {
      const hostPort = /^(\[[0-9A-Fa-f:.%a-z]+\]|[^:[\]]*):(\d*)$/.exec(host);
      if (!hostPort) return { ok: false, error: `has ${JSON.stringify(text)}, whose address is not host:port` };
      if (match[3] !== '') return { ok: false, error: `has ${JSON.stringify(text)}, which has a path` };
      const name = hostPort[1]!.replace(/^\[|\]$/g, '');
      if (bind && name !== 'localhost' && !isIp(name))
        return { ok: false, error: `has ${JSON.stringify(text)}: etcd binds only to an IP address or localhost` };
    }
    urls.push({ text, scheme, host, tls: scheme === 'https' || scheme === 'unixs' });
  }
  return { ok: true, urls };
}

function isIp(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.split('.').every((part) => Number(part) <= 255);
  return host.includes(':') && /^[0-9A-Fa-f:.]+$/.test(host);
}
