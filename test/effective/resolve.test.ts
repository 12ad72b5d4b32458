import { describe, expect, it } from 'vitest';
import { discoverComponents } from '../../src/effective/discover.js';
import type { ResolvedConfig } from '../../src/effective/host-components.js';
import { lookup } from '../../src/effective/host-components.js';
import type { ProcessInfo } from '../../src/model.js';
import { file, proc, snapshot, staticPod } from '../support/host-snapshot.js';
import type { SnapshotParts } from '../support/host-snapshot.js';

// The configuration one instance runs with, read as the component reads it: flags (last wins),
// then for etcd the ETCD_* environment for the flags not given; every value with its evidence.

const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
function running(parts: SnapshotParts): ResolvedConfig {
  const config = discoverComponents(snapshot(parts)).etcd[0]?.running;
  if (!config) throw new Error('no running etcd');
  return config;
}
const etcdWith = (argv: string[], environ: Record<string, string> = {}, extra: Partial<ProcessInfo> = {}) =>
  running({ processes: [proc(argv, extra)], environ: { [extra.pid ?? 100]: environ } });

describe('flags and the ETCD_* environment', () => {
  const rows: { name: string; argv: string[]; environ: Record<string, string>; key: string; value: string; evidence: object; overridden?: object[] }[] = [
    {
      name: 'a variable for a flag not given',
      argv: ['etcd'],
      environ: { ETCD_CLIENT_CERT_AUTH: 'true' },
      key: 'client-cert-auth',
      value: 'true',
      evidence: { source: 'environment of pid 100', key: 'ETCD_CLIENT_CERT_AUTH', value: 'true' },
    },
    {
      name: 'a flag and a variable for it: the flag wins, the variable is overridden',
      argv: ['etcd', '--client-cert-auth=true'],
      environ: { ETCD_CLIENT_CERT_AUTH: 'false' },
      key: 'client-cert-auth',
      value: 'true',
      evidence: { source: 'process 100 command line', key: '--client-cert-auth', value: 'true' },
      overridden: [{ source: 'environment of pid 100', key: 'ETCD_CLIENT_CERT_AUTH', value: 'false' }],
    },
    {
      name: 'a variable set by an env wrapper',
      argv: ['env', 'ETCD_DATA_DIR=/srv/etcd', 'etcd'],
      environ: {},
      key: 'data-dir',
      value: '/srv/etcd',
      evidence: { source: 'process 100 command line', key: 'ETCD_DATA_DIR', value: '/srv/etcd' },
    },
    {
      name: "a wrapper's variable over the process environment",
      argv: ['env', 'ETCD_NAME=wrapped', 'etcd'],
      environ: { ETCD_NAME: 'environ' },
      key: 'name',
      value: 'wrapped',
      evidence: { source: 'process 100 command line', key: 'ETCD_NAME', value: 'wrapped' },
    },
    {
      name: 'a variable set inside a shell string',
      argv: ['/bin/sh', '-c', 'ETCD_NAME=m1 /usr/bin/etcd'],
      environ: {},
      key: 'name',
      value: 'm1',
      evidence: { source: 'process 100 command line, inside its "sh -c" string', key: 'ETCD_NAME', value: 'm1' },
    },
    {
      name: 'a flag inside a shell string',
      argv: ['/bin/bash', '-c', 'cd / && etcd --name="node 1"'],
      environ: {},
      key: 'name',
      value: 'node 1',
      evidence: { source: 'process 100 command line, inside its "bash -c" string', key: '--name', value: 'node 1' },
    },
  ];

  it.each(rows)('$name', ({ argv, environ, key, value, evidence, overridden }) => {
    const found = lookup(etcdWith(argv, environ), key);
    expect(found.state === 'set' && found.setting).toMatchObject({ value, evidence, overridden: overridden ?? [] });
  });

  it('reads only ETCD_ variables, by their exact upper-case names', () => {
    const config = etcdWith(['etcd'], { ETCDCTL_API: '3', etcd_name: 'lower', GOGC: '50', ETCD_INITIAL_CLUSTER_STATE: 'existing' });
    expect([...config.settings.keys()]).toEqual(['initial-cluster-state']);
  });

  it('says where an absent setting was looked for', () => {
    expect(lookup(etcdWith(['etcd']), 'peer-auto-tls')).toEqual({
      state: 'unset',
      searched: [
        { source: 'process 100 command line', key: '--peer-auto-tls', value: null },
        { source: 'environment of pid 100', key: 'ETCD_PEER_AUTO_TLS', value: null },
      ],
    });
  });

  it('labels a command line that only ps had', () => {
    const config = etcdWith(['etcd', '--name=a'], {}, { argvSource: 'ps' });
    expect(lookup(config, 'name')).toMatchObject({ state: 'set', setting: { evidence: { source: 'process 100 (process list line, split at spaces)' } } });
  });

  it('does not read the environment for kube-apiserver', () => {
    const config = discoverComponents(snapshot({ processes: [proc(['kube-apiserver'], { pid: 200 })], environ: { 200: { ETCD_CLIENT_CERT_AUTH: 'true' } } }))
      .apiserver[0]!.running!;
    expect(config.settings.size).toBe(0);
    expect(lookup(config, 'etcd-cafile')).toEqual({ state: 'unset', searched: [{ source: 'process 200 command line', key: '--etcd-cafile', value: null }] });
  });
});

describe('what makes an absent setting unknown', () => {
  const rows: { name: string; parts: SnapshotParts; unknown: string }[] = [
    {
      name: 'an environment that could not be read',
      parts: { processes: [proc(['etcd'])], environ: {} },
      unknown: 'the ETCD_* environment of pid 100 could not be read',
    },
    {
      name: 'an environment that could not be read without root',
      parts: { processes: [proc(['etcd'])], environ: {}, privilege: 'unprivileged' },
      unknown: 'the ETCD_* environment of pid 100 could not be read (reading it needs root: scan with --become, or set become in the inventory)',
    },
    {
      // An expansion is not a stray word: it may be flags, or nothing.
      name: 'an unexpanded variable',
      parts: { processes: [proc(['sh', '-c', 'exec etcd $ETCD_ARGS'])] },
      unknown: 'the command passes $ETCD_ARGS unexpanded, which may set further flags',
    },
  ];

  it.each(rows)('$name', ({ parts, unknown }) => {
    const config = running(parts);
    expect(config.unknown).toBe(unknown);
    expect(lookup(config, 'client-cert-auth')).toMatchObject({ state: 'unknown', reason: unknown });
  });

  it('leaves a setting that is given known', () => {
    expect(lookup(running({ processes: [proc(['etcd', '--name=a'])], environ: {} }), 'name')).toMatchObject({ state: 'set', setting: { value: 'a' } });
  });

  it('does not stop kube-apiserver at a word that is not a flag', () => {
    const config = discoverComponents(snapshot({ processes: [proc(['kube-apiserver', 'stray', '--secure-port=6443'], { pid: 200 })] })).apiserver[0]!.running!;
    expect(config.unknown).toBeUndefined();
    expect(lookup(config, 'secure-port')).toMatchObject({ state: 'set', setting: { value: '6443' } });
  });
});

describe('a static pod manifest', () => {
  const onDisk = (text: string) => {
    const config = discoverComponents(snapshot({ files: [file(MANIFEST, { content: text })] })).etcd[0]?.onDisk;
    if (!config) throw new Error('no etcd manifest');
    return config;
  };

  it('reads command and args as one command line, each value with its line', () => {
    const config = onDisk(staticPod({ command: ['etcd', '--name=a'], args: ['--data-dir', '/var/lib/etcd'] }));
    expect(config.label).toBe(`etcd manifest ${MANIFEST}`);
    expect(lookup(config, 'name')).toMatchObject({ state: 'set', setting: { evidence: { source: `${MANIFEST} line 10`, key: '--name', value: 'a' } } });
    // The value of a flag written as two words is where its value is.
    expect(lookup(config, 'data-dir')).toMatchObject({ state: 'set', setting: { value: '/var/lib/etcd', evidence: { source: `${MANIFEST} line 13` } } });
  });

  it("reads the container's ETCD_* variables; a flag still wins", () => {
    const config = onDisk(staticPod({ command: ['etcd', '--name=flag'], env: { ETCD_NAME: 'env', ETCD_CLIENT_CERT_AUTH: 'true' } }));
    const cca = lookup(config, 'client-cert-auth');
    expect(cca).toMatchObject({ state: 'set', setting: { value: 'true', evidence: { key: 'ETCD_CLIENT_CERT_AUTH', value: 'true' } } });
    expect(cca.state === 'set' && cca.setting.evidence.source.startsWith(MANIFEST)).toBe(true);
    const name = lookup(config, 'name');
    expect(name).toMatchObject({ state: 'set', setting: { value: 'flag', overridden: [{ key: 'ETCD_NAME', value: 'env' }] } });
  });

  it('knows its whole environment: an absent setting is unset, not unknown', () => {
    expect(lookup(onDisk(staticPod({ command: ['etcd'] })), 'auto-tls')).toEqual({
      state: 'unset',
      searched: [
        { source: MANIFEST, key: '--auto-tls', value: null },
        { source: `${MANIFEST} (container env)`, key: 'ETCD_AUTO_TLS', value: null },
      ],
    });
  });

  it('points the words of a shell string at the line of the string', () => {
    const text = staticPod({ command: ['/bin/sh', '-c', 'exec etcd --name=a --client-cert-auth=true'] });
    expect(lookup(onDisk(text), 'client-cert-auth')).toMatchObject({ state: 'set', setting: { evidence: { source: `${MANIFEST} line 11` } } });
  });
});
