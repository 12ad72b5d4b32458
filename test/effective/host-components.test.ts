import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/effective/host-components.js';
import { dataDirectory, hostPath, lookup, memberName } from '../../src/effective/host-components.js';

// What the rules ask of a resolved configuration: a setting (set, unset, unknown), etcd's member
// name, and where a path a static pod sees lives on the host.

const searched = (key: string) => [{ source: 'argv', key: `--${key}`, value: null }];
function config(settings: Record<string, string>, unknown?: string): ResolvedConfig {
  const result: ResolvedConfig = {
    component: 'etcd',
    label: 'etcd process 1',
    settings: new Map(
      Object.entries(settings).map(([key, value]) => [key, { key, value, evidence: { source: 'argv', key: `--${key}`, value }, overridden: [] }]),
    ),
    searched,
  };
  if (unknown) result.unknown = unknown;
  return result;
}

describe('lookup', () => {
  it('is set, unset, or unknown when the setting may be somewhere fleetbench could not look', () => {
    expect(lookup(config({ name: 'a' }), 'name')).toMatchObject({ state: 'set', setting: { value: 'a' } });
    expect(lookup(config({}), 'name')).toEqual({ state: 'unset', searched: searched('name') });
    expect(lookup(config({}, 'environment unreadable'), 'name')).toEqual({ state: 'unknown', reason: 'environment unreadable', searched: searched('name') });
    expect(lookup(config({ name: 'a' }, 'environment unreadable'), 'name').state).toBe('set');
  });
});

describe('memberName', () => {
  it("is --name, or etcd's default", () => {
    expect([memberName(config({ name: 'm1' })), memberName(config({})), memberName(config({}, 'unknown'))]).toEqual(['m1', 'default', 'default']);
  });
});

describe('dataDirectory', () => {
  const running = config({});
  const at = (cwd: string | undefined, mounts: { containerPath: string; hostPath: string }[] = []) => ({ cwd, running, mounts, manifest: '/m/etcd.yaml' });
  it('is --data-dir, through the hostPath mount that holds it', () => {
    expect(dataDirectory(config({ 'data-dir': '/var/lib/etcd' }), at('/'))).toMatchObject({ path: '/var/lib/etcd' });
    const mounted = dataDirectory(config({ 'data-dir': '/var/lib/etcd' }), at('/', [{ containerPath: '/var/lib/etcd', hostPath: '/data/etcd' }]));
    expect(mounted).toMatchObject({ path: '/data/etcd' });
    expect('path' in mounted && mounted.evidence.at(-1)).toEqual({ source: 'hostPath volume of /m/etcd.yaml', key: '/var/lib/etcd', value: '/data/etcd' });
  });
  it("is NAME.etcd, etcd's default, or a relative --data-dir, in the running process's working directory", () => {
    expect(dataDirectory(config({}), at('/srv/etcd/'))).toMatchObject({ path: '/srv/etcd/default.etcd' });
    expect(dataDirectory(config({ name: 'm1' }), at('/srv'))).toMatchObject({ path: '/srv/m1.etcd' });
    expect(dataDirectory(config({ 'data-dir': 'data' }), at('/srv'))).toMatchObject({ path: '/srv/data' });
  });
  it('cannot be told without that working directory, or where the setting may be somewhere unread', () => {
    expect(dataDirectory(config({ name: 'm1' }), at(undefined))).toMatchObject({
      unknown: expect.stringContaining('m1.etcd is relative') as string,
      values: 'data-dir=m1.etcd',
    });
    expect(dataDirectory(config({}, 'environment unreadable'), at('/'))).toMatchObject({
      unknown: "cannot tell etcd's data directory: environment unreadable",
      values: 'data-dir=?',
    });
  });
});

describe('hostPath', () => {
  const mounts = [
    { containerPath: '/var/lib', hostPath: '/mnt/lib' },
    { containerPath: '/var/lib/etcd', hostPath: '/data/etcd/' },
    { containerPath: '/srv/', hostPath: '/export/' },
    { containerPath: '/etc/kubernetes/pki/etcd', hostPath: '/etc/kubernetes/pki/etcd' },
  ];
  it.each([
    ['/var/lib/etcd', '/data/etcd'],
    ['/var/lib/etcd/member', '/data/etcd/member'],
    ['/var/lib/etcd2', '/mnt/lib/etcd2'],
    ['/var/lib', '/mnt/lib'],
    ['/var/library', '/var/library'],
    ['/srv/etcd', '/export/etcd'],
    ['/etc/kubernetes/pki/etcd/ca.crt', '/etc/kubernetes/pki/etcd/ca.crt'],
    ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.crt'],
    // Spellings of one directory: the kernel resolves them alike (Go filepath.Clean is that rule).
    ['/var/lib/etcd/', '/data/etcd'],
    ['/var//lib/./etcd/member/', '/data/etcd/member'],
    ['/var/lib/etcd/../etcd/member', '/data/etcd/member'],
    ['/srv', '/export'],
  ])('%s -> %s', (path, onHost) => {
    expect(hostPath(path, { mounts })).toBe(onHost);
  });

  it.each([
    [
      'a mountPath with a trailing slash and the path without',
      [{ containerPath: '/var/lib/etcd/', hostPath: '/var/lib/etcd/' }],
      '/var/lib/etcd',
      '/var/lib/etcd',
    ],
    ['a mountPath that is a parent of the path', [{ containerPath: '/var/lib/', hostPath: '/mnt/var-lib' }], '/var/lib/etcd', '/mnt/var-lib/etcd'],
    [
      'nested mounts: the longest match wins, whatever their order',
      [
        { containerPath: '/var/lib/etcd//', hostPath: '/fast/etcd' },
        { containerPath: '/var', hostPath: '/slow/var' },
      ],
      '/var/lib/etcd/member',
      '/fast/etcd/member',
    ],
    ['the root mounted', [{ containerPath: '/', hostPath: '/host/' }], '/var/lib/etcd', '/host/var/lib/etcd'],
  ])('%s', (_, mounts, path, onHost) => {
    expect(hostPath(path, { mounts })).toBe(onHost);
  });
});
