import { describe, expect, it } from 'vitest';
import type { FixtureFile, FixtureProcess, HostFixture } from '../../src/collect/fixture-output.js';
import { answerProbe } from '../../src/collect/fixture-output.js';
import { parseProbeOutput } from '../../src/collect/parse-output.js';
import { discoverComponents } from '../../src/effective/discover.js';
import { memberListPlan } from '../../src/effective/member-query.js';

// Whom root's etcdctl may talk to: only the etcd the verdicts are about, over https, at an
// address it listens on itself, with its own certificate, key and CA, each a file the probe followed.

const nonce = 'b'.repeat(32);
const file = (extra: Partial<FixtureFile> = {}): FixtureFile => ({
  type: 'file',
  mode: 0o644,
  owner: 'root',
  group: 'root',
  uid: 0,
  gid: 0,
  content: 'cert',
  ...extra,
});
const etcd = (flags: string[], extra: Partial<FixtureProcess> = {}): FixtureProcess => ({
  pid: 1795,
  ppid: 1,
  user: 'root',
  uid: 0,
  argv: ['etcd', '--cert-file=/pki/server.crt', '--key-file=/pki/server.key', '--trusted-ca-file=/pki/ca.crt', ...flags],
  ...extra,
});
const FILES: Record<string, FixtureFile> = {
  '/pki/server.crt': file(),
  '/pki/server.key': file({ mode: 0o600, content: undefined }),
  '/pki/ca.crt': file(),
};

function plan(process: FixtureProcess, files: Record<string, FixtureFile> = FILES) {
  const fixture: HostFixture = { processes: [process], files, sudo: 'nopasswd' };
  const snapshot = parseProbeOutput(answerProbe(fixture, { nonce, mode: 'sudo', user: 'audit', uid: 1000 }), {
    target: 'h',
    nonce,
    collectedAt: '',
    user: 'audit',
  });
  return memberListPlan(discoverComponents(snapshot), snapshot);
}

describe('memberListPlan', () => {
  it('asks the running etcd at its own loopback https listener, with its own certificate, key and CA', () => {
    expect(plan(etcd(['--listen-client-urls=https://10.0.0.5:2379,https://127.0.0.1:2379']))).toEqual({
      ok: true,
      query: {
        pid: 1795,
        endpoint: 'https://127.0.0.1:2379',
        port: 2379,
        listenAddresses: ['0100007F', '00000000', '00000000000000000000000000000000'],
        cacert: '/pki/ca.crt',
        cert: '/pki/server.crt',
        key: '/pki/server.key',
      },
    });
  });

  it('reaches a wildcard listener at loopback, and writes IPv6 addresses as /proc/net/tcp6 does', () => {
    const wildcard = plan(etcd(['--listen-client-urls=https://0.0.0.0:2379']));
    expect(wildcard?.ok && wildcard.query.endpoint).toBe('https://127.0.0.1:2379');
    const v6 = plan(etcd(['--listen-client-urls=https://[::1]:12379']));
    expect(v6?.ok && [v6.query.endpoint, v6.query.listenAddresses[0]]).toEqual(['https://[::1]:12379', '00000000000000000000000001000000']);
    const v4 = plan(etcd(['--listen-client-urls=https://10.1.2.3:2379']));
    expect(v4?.ok && v4.query.listenAddresses[0]).toBe('0302010A');
  });

  it('does not ask over plain http, nor without a certificate, key and CA of etcd itself', () => {
    expect(plan(etcd(['--listen-client-urls=http://127.0.0.1:2379']))).toEqual({
      ok: false,
      reason: 'etcd (pid 1795) serves clients only without TLS (http://127.0.0.1:2379): the member list is asked over https only',
    });
    const noKey = etcd([], { argv: ['etcd', '--cert-file=/pki/server.crt', '--trusted-ca-file=/pki/ca.crt', '--listen-client-urls=https://127.0.0.1:2379'] });
    expect(plan(noKey)).toEqual({
      ok: false,
      reason: "etcd (pid 1795) has no --key-file: the member list is asked only with etcd's own client certificate, key and CA",
    });
  });

  it('does not use a file an ordinary user could have put there', () => {
    const files = { ...FILES, '/pki': { ...file({ type: 'directory', mode: 0o777, content: undefined }) } };
    expect(plan(etcd(['--listen-client-urls=https://127.0.0.1:2379']), files)).toEqual({
      ok: false,
      reason:
        "etcd's --trusted-ca-file /pki/ca.crt was not followed: /pki can be written by every user (mode 0777), so an ordinary user could change what it says: the member list was not asked",
    });
  });

  it('never asks a program named etcd that an ordinary user runs', () => {
    expect(plan(etcd(['--listen-client-urls=https://127.0.0.1:23790'], { user: 'tenant', uid: 1001 }))).toBeUndefined();
  });
});
