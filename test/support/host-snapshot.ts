import { readFileSync } from 'node:fs';
import type { HostFixture } from '../../src/collect/fixture-output.js';
import { answerProbe } from '../../src/collect/fixture-output.js';
import { parseProbeOutput } from '../../src/collect/parse-output.js';
import { listingKeys, MANIFEST_DIRS, PROBE_PICKS } from '../../src/collect/host-paths.js';
import { FIXTURES_DIR } from '../../src/demo/fixtures.js';
import type { FileFact, HostSnapshot, MemberListResult, Privilege, ProcessInfo } from '../../src/model.js';

// Builders for what the probe reports about one host, so that a test of the configuration model or
// the rules states only the facts it is about: a trusted root process with its exact argv, a
// root-owned file, a snapshot made of them. A realistic whole host comes from a fixture in
// fixtures/hosts/ through the probe's fixture answer and the real parser (probed()).

/** A process the probe looked into (trusted, argv from /proc): pid 100 unless given. */
export function proc(argv: string[], extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return { pid: 100, ppid: 1, user: 'root', uid: 0, trusted: true, command: argv.join(' '), argv, argvSource: 'proc-cmdline', cwd: '/', ...extra };
}

/**
 * etcd serving its clients over TLS, with the certificates that needs. Without a listener of its
 * own etcd serves http://localhost:2379, where it ignores --client-cert-auth and its certificates;
 * an https listener without --cert-file and --key-file keeps it from starting, and without
 * --trusted-ca-file it trusts the system's CAs: a control's PASS needs all of them.
 */
const TLS_CLIENTS = [
  '--listen-client-urls=https://127.0.0.1:2379',
  '--cert-file=/pki/server.crt',
  '--key-file=/pki/server.key',
  '--trusted-ca-file=/pki/etcd-ca.crt',
];

/** What etcd does with the --trusted-ca-file of TLS_CLIENTS when --client-cert-auth is not true, as a reason says it. */
export const TRUSTED_CA_ALONE =
  "; --trusted-ca-file /pki/etcd-ca.crt alone makes etcd's TLS listeners (https://127.0.0.1:2379) require and verify client certificates " +
  '(pkg/transport/listener.go TLSInfo.ServerConfig: RequireAndVerifyClientCert when TrustedCAFile is set or ClientCertAuth), ' +
  'but etcd does not authenticate clients by them (its client-cert-auth stays false: no user is taken from a certificate)';

/** An etcd command line serving clients over TLS (TLS_CLIENTS), unless it names any client TLS setting itself: then it states them all. */
export function withClientTls(argv: string[]): string[] {
  const names = TLS_CLIENTS.map((flag) => flag.slice(0, flag.indexOf('=')));
  if (argv[0] !== 'etcd' || argv.some((word) => names.some((name) => word.startsWith(name)))) return argv;
  return [argv[0], ...TLS_CLIENTS, ...argv.slice(1)];
}

/** A regular file owned by root:root, mode 0600. */
export function file(path: string, extra: Partial<FileFact> = {}): FileFact {
  return { path, exists: true, type: 'file', mode: 0o600, uid: 0, gid: 0, owner: 'root', group: 'root', size: extra.content?.length ?? 0, ...extra };
}

/** A directory owned by root:root, mode 0700. */
export function dir(path: string, extra: Partial<FileFact> = {}): FileFact {
  return file(path, { type: 'directory', mode: 0o700, ...extra });
}

/** A path the probe looked for and did not find. */
export function missing(path: string): FileFact {
  return { path, exists: false };
}

export interface SnapshotParts {
  processes?: ProcessInfo[];
  files?: FileFact[];
  /** `ETCD_*` variables by pid. When not given, every process has an empty (readable) environment. */
  environ?: Record<number, Record<string, string>>;
  memberList?: MemberListResult;
  privilege?: Privilege;
}

export function snapshot(parts: SnapshotParts = {}): HostSnapshot {
  const processes = parts.processes ?? [];
  const result: HostSnapshot = {
    target: 'h',
    collectedAt: '2026-11-25T00:00:00Z',
    privilege: parts.privilege ?? 'root',
    processes,
    files: Object.fromEntries([...manifestDirs(parts.files ?? []), ...(parts.files ?? [])].map((fact) => [fact.path, fact])),
    environ: parts.environ ?? Object.fromEntries(processes.map((p) => [p.pid, {}])),
    // The listings every probe makes, as parse-output records them.
    listed: PROBE_PICKS.flatMap(listingKeys),
    problems: [],
  };
  if (parts.memberList) result.memberList = parts.memberList;
  return result;
}

/**
 * The static-pod directories, as the probe always looks at them: a root directory where a given
 * file lies in it, absent otherwise (so "no manifest here" rests on a look), unless given.
 */
function manifestDirs(files: FileFact[]): FileFact[] {
  return MANIFEST_DIRS.filter((path) => !files.some((f) => f.path === path)).map((path) =>
    files.some((f) => f.path.startsWith(`${path}/`)) ? dir(path) : missing(path),
  );
}

export interface PodParts {
  /** The container's command; `args` follows it when given. */
  command: string[];
  args?: string[];
  env?: Record<string, string>;
  /** hostPath mounts: container path -> host path. */
  mounts?: Record<string, string>;
}

/** The text of a static pod manifest running one container. */
export function staticPod({ command, args, env, mounts }: PodParts): string {
  const list = (items: string[]) => items.map((item) => `    - ${JSON.stringify(item)}`).join('\n');
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: static', 'spec:', '  containers:', '  - name: main', '    command:', list(command)];
  if (args) lines.push('    args:', list(args));
  if (env) lines.push('    env:', ...Object.entries(env).map(([name, value]) => `    - { name: ${name}, value: ${JSON.stringify(value)} }`));
  const volumes = Object.entries(mounts ?? {});
  if (volumes.length > 0) {
    lines.push('    volumeMounts:', ...volumes.map(([container], i) => `    - { name: v${i}, mountPath: ${container} }`));
    lines.push('  volumes:', ...volumes.map(([, host], i) => `  - { name: v${i}, hostPath: { path: ${host} } }`));
  }
  return lines.join('\n') + '\n';
}

/** A certificate file of fixtures/certificates/ (see its README). */
export function certificate(name: 'etcd-ca' | 'kube-ca' | 'kube-ca-reissued'): string {
  return readFileSync(`${FIXTURES_DIR}certificates/${name}.pem`, 'utf8');
}

/** What fleetbench makes of a fixture host: the probe's answer for it, read by the real parser (as root through sudo). */
export function probed(fixture: HostFixture, target = 'h'): HostSnapshot {
  const nonce = 'c'.repeat(32);
  const output = answerProbe(fixture, { nonce, mode: 'sudo', user: 'audit', uid: 1000 });
  return parseProbeOutput(output, { target, nonce, collectedAt: '2026-11-25T00:00:00Z', user: 'audit' });
}
