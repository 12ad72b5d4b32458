import type { ResolvedConfig } from './host-components.js';
import { addNote, lookup } from './host-components.js';
import type { EtcdUrl } from './etcd-urls.js';
import { parseEtcdUrls } from './etcd-urls.js';
import { parseGoBool } from './values.js';

// What etcd does with its TLS settings once it has read them, whichever way they came (flags,
// ETCD_* variables, config file): a setting it reads is not always a setting it acts on.
// - Auto TLS: with --auto-tls (--peer-auto-tls) on and neither --cert-file nor --key-file given,
//   etcd replaces the whole TLS info with a self-signed certificate (embed/config.go
//   ClientSelfCert/PeerSelfCert → transport.SelfCert, which returns a new TLSInfo: v3.4.45
//   L835-882, v3.5.33 L911-950, v3.6.14 L1514-1553), so client-cert-auth becomes false and the
//   trusted CA is dropped. With a certificate or key given, auto TLS is ignored ("ignoring client
//   auto TLS since certs given"). TLSInfo.Empty() is CertFile == "" && KeyFile == "".
// - Listeners: on an http:// or unix:// listener etcd ignores the certificate and client-cert-auth
//   (embed/etcd.go configureClientListeners v3.4.45 L618-660, configurePeerListeners L473-540);
//   an https:// or unixs:// listener without a certificate makes etcd refuse to start.
// - A trusted CA alone already makes the TLS layer require and verify client certificates
//   (pkg/transport/listener.go TLSInfo.ServerConfig, v3.4.45 L382-399: RequireAndVerifyClientCert
//   when TrustedCAFile != "" || ClientCertAuth), but etcd's own client-cert-auth stays off.
// The defaults are etcd's: --listen-client-urls http://localhost:2379, --listen-peer-urls
// http://localhost:2380 (embed/config.go DefaultListenClientURLs, DefaultListenPeerURLs).

interface Side {
  name: 'client' | 'peer';
  prefix: '' | 'peer-';
  listeners: { key: string; fallback?: string }[];
  selfCert: string;
  who: string;
}

const SIDES: Side[] = [
  {
    name: 'client',
    prefix: '',
    listeners: [{ key: 'listen-client-urls', fallback: 'http://localhost:2379' }, { key: 'listen-client-http-urls' }],
    selfCert: 'ClientSelfCert',
    who: 'clients',
  },
  { name: 'peer', prefix: 'peer-', listeners: [{ key: 'listen-peer-urls', fallback: 'http://localhost:2380' }], selfCert: 'PeerSelfCert', who: 'peers' },
];

type Known<T> = { known: true; value: T } | { known: false };

export function applyTlsEffects(config: ResolvedConfig): void {
  for (const side of SIDES) applySide(config, side);
}

function text(config: ResolvedConfig, key: string): Known<string | undefined> {
  const found = lookup(config, key);
  if (found.state === 'unknown') return { known: false };
  return { known: true, value: found.state === 'set' && found.setting.value !== '' ? found.setting.value : undefined };
}

function applySide(config: ResolvedConfig, side: Side): void {
  const { prefix } = side;
  const setting = (key: string) => config.settings.get(`${prefix}${key}`);
  const flag = (key: string) => `--${prefix}${key}`;
  const cert = text(config, `${prefix}cert-file`);
  const key = text(config, `${prefix}key-file`);
  const auto = text(config, `${prefix}auto-tls`);
  const certGiven = cert.known && key.known ? cert.value !== undefined || key.value !== undefined : undefined;
  const autoOn = auto.known && auto.value !== undefined && parseGoBool(auto.value) === true;
  const clientCertAuth = setting('client-cert-auth');
  const authOn = clientCertAuth !== undefined && parseGoBool(clientCertAuth.value) === true;

  const replaced = autoOn && certGiven === false;
  if (replaced) {
    const why =
      `${flag('auto-tls')} is on and neither ${flag('cert-file')} nor ${flag('key-file')} is given, so etcd replaces its whole ${side.name} TLS ` +
      `configuration with a self-signed certificate (embed/config.go ${side.selfCert} → transport.SelfCert returns a new TLSInfo)`;
    if (clientCertAuth && authOn) clientCertAuth.ineffective = `${why}: ${flag('client-cert-auth')} is dropped and no ${side.name} certificate is asked for`;
    const ca = setting('trusted-ca-file');
    if (ca && ca.value !== '') ca.ineffective = `${why}: ${flag('trusted-ca-file')} is dropped`;
  } else if (autoOn && certGiven === true) {
    const autoSetting = setting('auto-tls');
    if (autoSetting)
      autoSetting.ineffective = `etcd ignores it while ${flag('cert-file')} or ${flag('key-file')} is given ("ignoring ${side.name} auto TLS since certs given", embed/config.go ${side.selfCert}); it takes over as soon as they are removed`;
  }

  const listeners = listenUrls(config, side);
  if (!listeners) return;
  const { urls, label } = listeners;
  const plain = urls.filter((u) => !u.tls);
  const secure = urls.filter((u) => u.tls);
  if (secure.length > 0 && certGiven === false && !autoOn) {
    config.refused ??= `etcd would refuse to start: it listens for ${side.who} at ${secure.map((u) => u.text).join(', ')} with TLS, but has no ${flag('cert-file')} and ${flag('key-file')} ("TLS key/cert must be provided", embed/etcd.go)`;
  }
  if (plain.length > 0 && clientCertAuth && authOn && clientCertAuth.ineffective === undefined) {
    clientCertAuth.ineffective =
      `etcd serves ${side.who} at ${plain.map((u) => u.text).join(', ')}${label} without TLS, where it asks for no certificate ` +
      `(embed/etcd.go: "scheme is HTTP while ${flag('client-cert-auth')} is enabled; ignoring client cert auth for this URL")`;
  }
  if (secure.length === 0 && !replaced) {
    for (const name of ['cert-file', 'key-file']) {
      const file = setting(name);
      if (file && file.value !== '')
        file.ineffective = `etcd serves ${side.who} only at ${plain.map((u) => u.text).join(', ')}${label}, without TLS: it ignores ${flag(name)} there (embed/etcd.go: "scheme is HTTP while key and cert files are present; ignoring key and cert files")`;
    }
  }
  const ca = text(config, `${prefix}trusted-ca-file`);
  if (!ca.known || replaced || secure.length === 0) return;
  if (authOn && ca.value === undefined) {
    addNote(
      config,
      `${prefix}client-cert-auth`,
      `without ${flag('trusted-ca-file')}, Go's TLS verifies ${side.name} certificates against the host's system CA roots (crypto/tls with no ClientCAs)`,
    );
  } else if (!authOn && ca.value !== undefined) {
    addNote(
      config,
      `${prefix}client-cert-auth`,
      `${flag('trusted-ca-file')} ${ca.value} alone makes etcd's TLS listeners (${secure.map((u) => u.text).join(', ')}) require and verify ${side.name} certificates ` +
        `(pkg/transport/listener.go TLSInfo.ServerConfig: RequireAndVerifyClientCert when TrustedCAFile is set or ClientCertAuth)` +
        (side.name === 'client'
          ? ', but etcd does not authenticate clients by them (its client-cert-auth stays false: no user is taken from a certificate)'
          : ''),
    );
  }
}

/** The listeners of one side, etcd's defaults included, or undefined when they cannot be told. */
function listenUrls(config: ResolvedConfig, side: Side): { urls: EtcdUrl[]; label: string } | undefined {
  const urls: EtcdUrl[] = [];
  let label = '';
  for (const [index, { key, fallback }] of side.listeners.entries()) {
    const found = lookup(config, key);
    if (found.state === 'unknown') {
      // An unknown main listener may be plain http; an unknown extra one may add a plain listener.
      markUnknownListeners(config, side, found.reason, index === 0 ? ['client-cert-auth', 'cert-file', 'key-file'] : ['client-cert-auth']);
      if (index === 0) return undefined;
      continue;
    }
    const value = found.state === 'set' && found.setting.value !== '' ? found.setting.value : fallback;
    if (value === undefined) continue;
    if (found.state !== 'set') label = ` (etcd's default, as --${key} is not set)`;
    const parsed = parseEtcdUrls(value, true);
    if (!parsed.ok) {
      config.refused ??= `etcd would refuse to start: --${key} ${parsed.error} (types.NewURLs, checkBindURLs)`;
      return undefined;
    }
    urls.push(...parsed.urls);
  }
  return { urls, label };
}

/** A listener set where fleetbench cannot look may be plain http: what depends on it is not conclusive. */
function markUnknownListeners(config: ResolvedConfig, side: Side, reason: string, names: string[]): void {
  for (const name of names) {
    const setting = config.settings.get(`${side.prefix}${name}`);
    if (setting && setting.value !== '') setting.ineffective ??= `cannot tell whether etcd also serves ${side.who} without TLS: ${reason}`;
  }
}
