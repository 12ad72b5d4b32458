import { readFileSync } from 'node:fs';
import type { HostFixture } from '../../src/collect/fixture-output.js';
import { answerProbe } from '../../src/collect/fixture-output.js';
import { parseProbeOutput } from '../../src/collect/parse-output.js';
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
    files: Object.fromEntries((parts.files ?? []).map((fact) => [fact.path, fact])),
    environ: parts.environ ?? Object.fromEntries(processes.map((p) => [p.pid, {}])),
    problems: [],
  };
  if (parts.memberList) result.memberList = parts.memberList;
  return result;
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
