import { describe, expect, it } from 'vitest';
import { listingKeys, PROBE_PICKS } from '../../src/collect/host-paths.js';
import type { FileFact, HostSnapshot, ProcessInfo } from '../../src/model.js';
import { rancherServers } from '../../src/effective/k3s.js';

const UNIT = '/etc/systemd/system/k3s.service';
const k3s: ProcessInfo = {
  pid: 812,
  ppid: 1,
  user: 'root',
  uid: 0,
  trusted: true,
  command: '/usr/local/bin/k3s server',
  argv: ['/usr/local/bin/k3s', 'server'],
  argvSource: 'proc-cmdline',
  unit: 'k3s.service',
  cwd: '/',
};

function snapshot(files: Record<string, string | Partial<FileFact>>, process: ProcessInfo = k3s): HostSnapshot {
  const facts: Record<string, FileFact> = {};
  for (const [path, fact] of Object.entries(files))
    facts[path] = typeof fact === 'string' ? { path, exists: true, type: 'file', content: fact } : { path, exists: true, ...fact };
  return {
    target: 'h',
    collectedAt: '',
    privilege: 'root',
    processes: [process],
    files: facts,
    environ: {},
    listed: PROBE_PICKS.flatMap(listingKeys),
    problems: [],
  };
}
const absent = (path: string): Partial<FileFact> => ({ path, exists: false });
const server = (files: Record<string, string | Partial<FileFact>>, process?: ProcessInfo) => rancherServers([process ?? k3s], snapshot(files, process))[0]!;
const unit = (execStart: string, extra = '') => `[Service]\nType=notify\n${extra}ExecStart=${execStart}\n`;
const noConfig = {
  '/etc/rancher/k3s/config.yaml': absent('/etc/rancher/k3s/config.yaml'),
  '/etc/rancher/k3s/config.yaml.d': absent('/etc/rancher/k3s/config.yaml.d'),
};

// k3s-io/k3s pkg/cli/cmds/server.go, pkg/configfilearg/parser.go, pkg/cluster/managed.go and the
// cases of the research (F.3).
describe('rancherServers: the data dir, as k3s finds it', () => {
  it('takes --data-dir from the unit, since k3s hides its own command line (#61)', () => {
    const found = server({ [UNIT]: unit('/usr/local/bin/k3s server --data-dir /opt/k3s'), ...noConfig });
    expect(found.dataDir).toEqual({ path: '/opt/k3s', evidence: [{ source: `ExecStart of ${UNIT} line 3`, key: '--data-dir', value: '/opt/k3s' }] });
  });

  it('lets the command line beat the config file (#54), and a config drop-in the main file (#49)', () => {
    const files = {
      [UNIT]: unit('/usr/local/bin/k3s server'),
      '/etc/rancher/k3s/config.yaml': 'data-dir: /a\n',
      '/etc/rancher/k3s/config.yaml.d': { type: 'directory' as const, mode: 0o755 },
      '/etc/rancher/k3s/config.yaml.d/10.yaml': 'data-dir: /b\n',
      '/etc/rancher/k3s/config.yaml.d/20.yml': 'data-dir: /c\n',
    };
    expect(server(files).dataDir).toMatchObject({ path: '/c' });
    expect(server({ ...files, [UNIT]: unit('/usr/local/bin/k3s server -d /cli') }).dataDir).toMatchObject({ path: '/cli' });
  });

  it('reads the config file K3S_CONFIG_FILE names, over --config (#55), and ignores K3S_DATA_DIR (#60)', () => {
    const files = {
      [UNIT]: unit('/usr/local/bin/k3s server --config /y.yaml', 'Environment=K3S_CONFIG_FILE=/x.yaml K3S_DATA_DIR=/var/lib/rancher/k3s/data/abc\n'),
      '/x.yaml': 'data-dir: /from-x\n',
      '/y.yaml': 'data-dir: /from-y\n',
      '/x.yaml.d': absent('/x.yaml.d'),
    };
    expect(server(files).dataDir).toMatchObject({ path: '/from-x' });
  });

  it("falls back to k3s's default for root (#58), and cannot tell it for another user (#59)", () => {
    expect(server({ [UNIT]: unit('/usr/local/bin/k3s server'), ...noConfig }).dataDir).toMatchObject({ path: '/var/lib/rancher/k3s' });
    expect(server({ [UNIT]: unit('/usr/local/bin/k3s server'), ...noConfig }, { ...k3s, uid: 1001 }).dataDir).toEqual({
      unknown: expect.stringMatching(/~\/\.rancher\/k3s/) as unknown,
    });
  });

  it('asks for what it has not seen: a config file named elsewhere, an environment file with %N', () => {
    const found = server({ [UNIT]: unit('/usr/local/bin/k3s server', 'EnvironmentFile=-/etc/default/%N\n') });
    expect(found.needs.read).toContain('/etc/default/k3s');
    expect(found.dataDir).toEqual({ unknown: expect.stringMatching(/K3S_CONFIG_FILE may be set where fleetbench could not look/) as unknown });
  });
});

describe('rancherServers: etcd or kine, only on evidence', () => {
  const dd = '/var/lib/rancher/k3s/server/db';
  const base = { [UNIT]: unit('/usr/local/bin/k3s server'), ...noConfig };
  it('is etcd when a member is initialized, whatever the flags say (#63)', () => {
    expect(
      server({ ...base, [`${dd}/etcd/member/wal`]: { type: 'directory' }, [`${dd}/etcd/config`]: absent(''), [`${dd}/state.db`]: 'x' }).datastore.kind,
    ).toBe('etcd');
  });

  it('is kine with a SQLite database and no etcd (#62), or with a datastore endpoint, shown by its scheme only (#53)', () => {
    const sqlite = { ...base, [`${dd}/etcd/member/wal`]: absent(''), [`${dd}/etcd/config`]: absent(''), [`${dd}/state.db`]: '' };
    expect(server(sqlite).datastore.kind).toBe('kine');
    const external = server({
      ...base,
      '/etc/rancher/k3s/config.yaml': 'datastore-endpoint: "mysql://<redacted>"\n',
      [`${dd}/etcd/member/wal`]: absent(''),
      [`${dd}/etcd/config`]: absent(''),
      [`${dd}/state.db`]: absent(''),
    });
    expect(external.datastore).toMatchObject({ kind: 'kine', evidence: [{ key: 'datastore-endpoint', value: 'mysql://…' }] });
  });

  it('cannot tell when it could not look, and says why (never kine by default)', () => {
    const hidden = { exists: false, unreadable: '/var/lib/rancher/k3s/server is not searchable by audit' };
    const found = server({ ...base, [`${dd}/etcd/member/wal`]: hidden, [`${dd}/etcd/config`]: hidden, [`${dd}/state.db`]: hidden });
    expect(found.datastore).toMatchObject({
      kind: 'unknown',
      reason: expect.stringMatching(/cannot be seen \(\/var\/lib\/rancher\/k3s\/server is not searchable by audit\)/) as unknown,
    });
  });
});
