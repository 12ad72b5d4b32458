// Every key etcd 3.4, 3.5 and 3.6 read from a --config-file, with the Go type it is decoded into
// and the flag it stands for. etcd decodes the file with sigs.k8s.io/yaml into `configYAML`
// (embed.Config + configJSON; etcd-io/etcd v3.4.45 embed/config.go L120-397, v3.5.33
// server/embed/config.go L140-457, v3.6.14 server/embed/config.go L192-639): the keys are the json
// tags of those structs, and the TLS keys are those of `securityConfig`, read only under
// client-transport-security and peer-transport-security. etcdmain 3.4/3.5 also decode the proxy
// keys of `configProxy` (v3.4.45 etcdmain/config.go L68-78). Which etcd release runs is not known
// to fleetbench, so a key any of the three lines reads is known, with the releases that read it.

/** The Go type a key is decoded into: what encoding/json accepts for it. */
export type GoType =
  | 'string'
  | 'bool'
  | 'int'
  | 'int64'
  | 'uint'
  | 'uint32'
  | 'uint64'
  /** time.Duration: an integer number of nanoseconds, never "5s" (etcd-io/etcd#13480). */
  | 'duration'
  | 'strings'
  /** A comma-separated list of URLs in one string, split and checked by types.NewURLs. */
  | 'urls'
  /** client-transport-security, peer-transport-security. */
  | 'security'
  /** A nested struct or map fleetbench does not look into (socket-options, discovery-config). */
  | 'object'
  /** A list of structs ([]url.URL of the Go-field keys). */
  | 'objects'
  /** A type no YAML value decodes into (3.6 grpc-additional-server-options: []grpc.ServerOption). */
  | 'none'
  /** etcdmain's configProxy fields, decoded by a second Unmarshal that turns scalars into strings. */
  | 'proxy';

export interface FileKey {
  type: GoType;
  /** The flag this key stands for, when its name differs. */
  flag?: string;
  /** The etcd releases that read it, when not all of 3.4, 3.5 and 3.6 do. */
  releases?: string;
}

const ALL_LINES: Record<string, GoType> = {
  name: 'string',
  'data-dir': 'string',
  'wal-dir': 'string',
  'snapshot-count': 'uint64',
  'max-snapshots': 'uint',
  'max-wals': 'uint',
  'heartbeat-interval': 'uint',
  'election-timeout': 'uint',
  'initial-election-tick-advance': 'bool',
  'backend-batch-interval': 'duration',
  'backend-batch-limit': 'int',
  'quota-backend-bytes': 'int64',
  'max-txn-ops': 'uint',
  'max-request-bytes': 'uint',
  'cipher-suites': 'strings',
  'initial-cluster-state': 'string',
  'discovery-srv': 'string',
  'discovery-srv-name': 'string',
  'discovery-proxy': 'string',
  discovery: 'string',
  'initial-cluster': 'string',
  'initial-cluster-token': 'string',
  'strict-reconfig-check': 'bool',
  'auto-compaction-mode': 'string',
  'auto-compaction-retention': 'string',
  'grpc-keepalive-min-time': 'duration',
  'grpc-keepalive-interval': 'duration',
  'grpc-keepalive-timeout': 'duration',
  'pre-vote': 'bool',
  'auth-token': 'string',
  'bcrypt-cost': 'uint',
  'experimental-initial-corrupt-check': 'bool',
  'experimental-corrupt-check-time': 'duration',
  'experimental-enable-lease-checkpoint': 'bool',
  'experimental-compaction-batch-limit': 'int',
  'force-new-cluster': 'bool',
  'enable-pprof': 'bool',
  metrics: 'string',
  'listen-metrics-urls': 'urls',
  logger: 'string',
  'log-level': 'string',
  'log-outputs': 'strings',
  'enable-grpc-gateway': 'bool',
  // configJSON: the file form of the list flags.
  'listen-peer-urls': 'urls',
  'listen-client-urls': 'urls',
  'initial-advertise-peer-urls': 'urls',
  'advertise-client-urls': 'urls',
  cors: 'string',
  'host-whitelist': 'string',
  'client-transport-security': 'security',
  'peer-transport-security': 'security',
};

const SOME_RELEASES: Record<string, FileKey> = {
  'auth-token-ttl': { type: 'uint', releases: '3.4.10 and later' },
  'unsafe-no-fsync': { type: 'bool', releases: '3.4.10 and later' },
  'experimental-watch-progress-notify-interval': { type: 'duration', releases: '3.4.11 and later' },
  'experimental-warning-apply-duration': { type: 'duration', releases: '3.4.16 and later' },
  'experimental-enable-lease-checkpoint-persist': { type: 'bool', releases: '3.4.20 and later, 3.5.2 and later' },
  'max-concurrent-streams': { type: 'uint32', releases: '3.4.20 and later, 3.5.5 and later' },
  'tls-min-version': { type: 'string', releases: '3.4.25 and later, 3.5.8 and later' },
  'tls-max-version': { type: 'string', releases: '3.4.25 and later, 3.5.8 and later' },
  'listen-client-http-urls': { type: 'urls', releases: '3.4.25 and later, 3.5.8 and later' },
  'next-cluster-version-compatible': { type: 'bool', releases: '3.4.31 and later' },
  'enable-v2': { type: 'bool', releases: '3.4 and 3.5' },
  'experimental-enable-v2v3': { type: 'string', releases: '3.4 and 3.5' },
  'experimental-backend-bbolt-freelist-type': { type: 'string', releases: '3.4' },
  'log-output': { type: 'strings', releases: '3.4' },
  debug: { type: 'bool', releases: '3.4' },
  'log-package-levels': { type: 'string', releases: '3.4' },
  'backend-bbolt-freelist-type': { type: 'string', releases: '3.5 and 3.6' },
  'enable-log-rotation': { type: 'bool', releases: '3.5 and 3.6' },
  'log-rotation-config-json': { type: 'string', releases: '3.5 and 3.6' },
  'experimental-bootstrap-defrag-threshold-megabytes': { type: 'uint', releases: '3.5 and 3.6' },
  'experimental-distributed-tracing-address': { type: 'string', releases: '3.5 and 3.6' },
  'experimental-distributed-tracing-instance-id': { type: 'string', releases: '3.5 and 3.6' },
  'experimental-distributed-tracing-service-name': { type: 'string', releases: '3.5 and 3.6' },
  'experimental-enable-distributed-tracing': { type: 'bool', releases: '3.5 and 3.6' },
  'experimental-downgrade-check-time': { type: 'duration', releases: '3.5 and 3.6' },
  'experimental-memory-mlock': { type: 'bool', releases: '3.5 and 3.6' },
  'experimental-txn-mode-write-with-shared-buffer': { type: 'bool', releases: '3.5 and 3.6' },
  'v2-deprecation': { type: 'string', releases: '3.5 and 3.6' },
  'self-signed-cert-validity': { type: 'uint', releases: '3.5.1 and later' },
  'experimental-compact-hash-check-enabled': { type: 'bool', releases: '3.5.5 and later' },
  'experimental-compact-hash-check-time': { type: 'duration', releases: '3.5.5 and later' },
  'socket-options': { type: 'object', flag: 'socket-reuse-port, socket-reuse-address', releases: '3.5.10 and later' },
  'experimental-distributed-tracing-sampling-rate': { type: 'int', releases: '3.5.11 and later' },
  'experimental-snapshot-catch-up-entries': { type: 'uint64', flag: 'experimental-snapshot-catchup-entries', releases: '3.5.14 and later' },
  'experimental-stop-grpc-service-on-defrag': { type: 'bool', releases: '3.5.14 and later' },
  'experimental-compaction-sleep-interval': { type: 'duration', releases: '3.5.16 and later' },
  'bootstrap-defrag-threshold-megabytes': { type: 'uint', releases: '3.6' },
  'compact-hash-check-time': { type: 'duration', releases: '3.6' },
  'compaction-batch-limit': { type: 'int', releases: '3.6' },
  'compaction-sleep-interval': { type: 'duration', releases: '3.6' },
  'corrupt-check-time': { type: 'duration', releases: '3.6' },
  'discovery-config': { type: 'object', flag: 'discovery-token, discovery-endpoints, ...', releases: '3.6' },
  'distributed-tracing-address': { type: 'string', releases: '3.6' },
  'distributed-tracing-instance-id': { type: 'string', releases: '3.6' },
  'distributed-tracing-sampling-rate': { type: 'int', releases: '3.6' },
  'distributed-tracing-service-name': { type: 'string', releases: '3.6' },
  'downgrade-check-time': { type: 'duration', releases: '3.6' },
  'enable-distributed-tracing': { type: 'bool', releases: '3.6' },
  'experimental-peer-skip-client-san-verification': { type: 'bool', releases: '3.6' },
  'experimental-warning-unary-request-duration': { type: 'duration', releases: '3.6' },
  'grpc-additional-server-options': { type: 'none', releases: '3.6' },
  'log-format': { type: 'string', releases: '3.6' },
  'max-learners': { type: 'int', releases: '3.6' },
  'memory-mlock': { type: 'bool', releases: '3.6' },
  'snapshot-catchup-entries': { type: 'uint64', releases: '3.6' },
  'warning-apply-duration': { type: 'duration', releases: '3.6' },
  'warning-unary-request-duration': { type: 'duration', releases: '3.6' },
  'watch-progress-notify-interval': { type: 'duration', releases: '3.6' },
  'feature-gates': { type: 'string', releases: '3.6' },
  // etcdmain's configProxy (3.4 and 3.5, not the etcd embedded in k3s): a second yaml.Unmarshal.
  proxy: { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'proxy-failure-wait': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'proxy-refresh-interval': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'proxy-dial-timeout': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'proxy-write-timeout': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'proxy-read-timeout': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
  'discovery-fallback': { type: 'proxy', releases: '3.4 and 3.5 (etcd, not embedded)' },
};

/** Top-level keys (json tags of Config and configJSON). */
export const TOP_LEVEL_KEYS: ReadonlyMap<string, FileKey> = new Map([
  ...Object.entries(ALL_LINES).map(([key, type]): [string, FileKey] => [key, { type }]),
  ...Object.entries(SOME_RELEASES),
]);

/**
 * Keys of `securityConfig` (v3.4.45 L391-397, v3.5.33 L447-457, v3.6.14 L628-639). There is no
 * crl-file key, and the peer- spellings are not keys inside a section (etcd-io/etcd#12887).
 */
export const SECURITY_KEYS: ReadonlyMap<string, FileKey> = new Map<string, FileKey>([
  ['cert-file', { type: 'string' }],
  ['key-file', { type: 'string' }],
  ['client-cert-auth', { type: 'bool' }],
  ['trusted-ca-file', { type: 'string' }],
  ['auto-tls', { type: 'bool' }],
  ['client-cert-file', { type: 'string', releases: '3.5 and 3.6' }],
  ['client-key-file', { type: 'string', releases: '3.5 and 3.6' }],
  ['allowed-cn', { type: 'strings', releases: '3.5.14 and later' }],
  ['allowed-hostname', { type: 'strings', releases: '3.5.14 and later' }],
  ['skip-client-san-verification', { type: 'bool', releases: '3.6' }],
]);

/** The sections, and the prefix their keys take as flags: client-transport-security.X is --X, peer-transport-security.X is --peer-X. */
export const SECTIONS: ReadonlyMap<string, 'client' | 'peer'> = new Map([
  ['client-transport-security', 'client'],
  ['peer-transport-security', 'peer'],
]);

/** The flag a key of a section stands for (the allowed-* keys have flags of their own names). */
export function sectionFlag(side: 'client' | 'peer', key: string): string {
  if (key === 'allowed-cn') return side === 'peer' ? 'peer-cert-allowed-cn' : 'client-cert-allowed-cn';
  if (key === 'allowed-hostname') return side === 'peer' ? 'peer-cert-allowed-hostname' : 'client-cert-allowed-hostname';
  return side === 'peer' ? `peer-${key}` : key;
}

/** Where a flag's value goes in the file, for evidence of absence: `client-transport-security.cert-file`, `name`. */
export function fileKeyOfFlag(flag: string): string | undefined {
  for (const [section, side] of SECTIONS) {
    for (const key of SECURITY_KEYS.keys()) if (sectionFlag(side, key) === flag) return `${section}.${key}`;
  }
  if (TOP_LEVEL_KEYS.has(flag)) return flag;
  for (const [key, entry] of TOP_LEVEL_KEYS) if (entry.flag === flag) return key;
  return undefined;
}

/** An exported Config field without a json tag: encoding/json matches it by its Go name. */
export interface GoFieldKey {
  /** The Go field name, which an exact match must spell. */
  name: string;
  type: GoType;
  /** What configFromFile does with it afterwards. */
  fate: string;
  /** The documented key that overwrites it when set, for the listeners. */
  overwrittenBy?: string;
  /** The flags whose findings should mention it. */
  touches: string[];
}

/**
 * Exported Config fields without a json tag (v3.4.45 L186-191, v3.5.33 L208-213, v3.6.14 L276-283):
 * encoding/json matches them by their Go name, case insensitively. Undocumented; copySecurityDetails
 * and the URL handling of configFromFile overwrite some of them afterwards. By folded name.
 */
export const GO_FIELD_KEYS: ReadonlyMap<string, GoFieldKey> = new Map(
  (
    [
      [
        'ClientTLSInfo',
        'object',
        'configFromFile overwrites its certificate, key, CA and client-cert-auth from client-transport-security (copySecurityDetails); what else it sets (CRLFile, ServerName, AllowedCN, CipherSuites...) stays, and fleetbench does not check it',
      ],
      [
        'PeerTLSInfo',
        'object',
        'configFromFile overwrites its certificate, key, CA and client-cert-auth from peer-transport-security (copySecurityDetails); what else it sets (CRLFile, ServerName, AllowedCN, CipherSuites...) stays, and fleetbench does not check it',
      ],
      ['ClientAutoTLS', 'bool', 'configFromFile overwrites it with client-transport-security.auto-tls'],
      ['PeerAutoTLS', 'bool', 'configFromFile overwrites it with peer-transport-security.auto-tls'],
      ['ListenPeerUrls', 'objects', 'configFromFile overwrites it when listen-peer-urls is set', 'listen-peer-urls'],
      ['ListenClientUrls', 'objects', 'configFromFile overwrites it when listen-client-urls is set', 'listen-client-urls'],
      ['ListenClientHttpUrls', 'objects', 'configFromFile overwrites it when listen-client-http-urls is set', 'listen-client-http-urls'],
      ['AdvertisePeerUrls', 'objects', 'configFromFile overwrites it when initial-advertise-peer-urls is set', 'initial-advertise-peer-urls'],
      ['AdvertiseClientUrls', 'objects', 'configFromFile overwrites it when advertise-client-urls is set', 'advertise-client-urls'],
      ['ListenMetricsUrls', 'objects', 'configFromFile overwrites it when listen-metrics-urls is set', 'listen-metrics-urls'],
      // Its folded name is also the tag `cors` of configJSON: Config's field comes first in field
      // order, so only the exact spelling `cors` reaches the tag.
      ['CORS', 'object', 'configFromFile overwrites it when cors is set'],
      ['HostWhitelist', 'object', 'configFromFile overwrites it when host-whitelist is set'],
      ['SnapshotCatchUpEntries', 'uint64', 'etcd 3.4 keeps it; 3.5 and 3.6 read it under its json name'],
      ['ZapLoggerBuilder', 'none', 'a Go function: no value fits it'],
      ['ServerFeatureGate', 'none', 'a Go interface (etcd 3.6): no value fits it'],
      ['FlagsExplicitlySet', 'object', 'etcd 3.6 rebuilds it from the file afterwards'],
    ] as [string, GoType, string, string?][]
  ).map(([name, type, fate, overwrittenBy]): [string, GoFieldKey] => [
    jsonFold(name),
    { name, type, fate, touches: touchedFlags(name, overwrittenBy), ...(overwrittenBy === undefined ? {} : { overwrittenBy }) },
  ]),
);

function touchedFlags(name: string, overwrittenBy: string | undefined): string[] {
  const prefix = name.startsWith('Peer') ? 'peer-' : '';
  if (name.endsWith('TLSInfo')) return ['cert-file', 'key-file', 'client-cert-auth', 'trusted-ca-file'].map((flag) => `${prefix}${flag}`);
  if (name.endsWith('AutoTLS')) return [`${prefix}auto-tls`];
  return [overwrittenBy ?? 'config-file'];
}

/**
 * How encoding/json compares a key with a field name when no exact match exists: ASCII case
 * folding, plus the two non-ASCII letters that fold to ASCII ones (the Kelvin sign and the long s;
 * encoding/json fold.go).
 */
export function jsonFold(key: string): string {
  return key
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replaceAll('\u212a', 'k')
    .replaceAll('\u017f', 's');
}
