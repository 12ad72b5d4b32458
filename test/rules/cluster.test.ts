import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../src/demo/fixtures.js';
import type { FileFact, MemberListResult, ProcessInfo, Target } from '../../src/model.js';
import { certificate, file, missing, probed, proc, snapshot, staticPod } from '../support/host-snapshot.js';
import type { HostInput } from '../support/judge.js';
import { clusterOf, judgeOne, rule, target } from '../support/judge.js';

// How many members an etcd cluster has, and what disagrees with the inventory: from the inventory,
// every member's --initial-cluster and the live member list, each disagreement on the host whose
// configuration showed it. And the client CAs of the cluster's kube-apiservers, for 2.7.

const etcd = (flags: string[], extra: Partial<ProcessInfo> = {}) => proc(['etcd', ...flags], extra);
const live = (...members: [string, string][]): MemberListResult => ({ ok: true, members: members.map(([name, url]) => ({ name, peerUrls: [url] })) });

interface HostParts {
  target?: Partial<Target>;
  processes?: ProcessInfo[];
  files?: FileFact[];
  memberList?: MemberListResult;
  environ?: Record<number, Record<string, string>>;
}
const member = (name: string, parts: HostParts = {}): HostInput => {
  const { target: t, ...rest } = parts;
  return { target: target(name, t), snapshot: snapshot(rest) };
};
const initial = (name: string, cluster: string) => member(name, { processes: [etcd([`--name=${name}`, `--initial-cluster=${cluster}`])] });

describe('clusterFacts: member count', () => {
  const rows: { name: string; hosts: HostInput[]; memberCount: number; singleMember: boolean; basis: string }[] = [
    {
      name: 'the inventory alone',
      hosts: [member('a'), member('b'), member('c', { target: { roles: ['control-plane'] } })],
      memberCount: 2,
      singleMember: false,
      basis: '2 etcd hosts in the inventory; no live member list, so a member added since bootstrap would not show',
    },
    {
      name: 'one host, initial-cluster naming itself',
      hosts: [initial('a', 'a=https://a:2380')],
      memberCount: 1,
      singleMember: true,
      basis: '1 etcd host in the inventory; initial-cluster lists 1 member (a); no live member list, so a member added since bootstrap would not show',
    },
    {
      name: 'one host, initial-cluster naming three',
      hosts: [initial('a', 'a=https://a:2380,b=https://b:2380,c=https://c:2380')],
      memberCount: 3,
      singleMember: false,
      basis: '1 etcd host in the inventory; initial-cluster lists 3 members (a, b, c); no live member list, so a member added since bootstrap would not show',
    },
    {
      name: 'the union of what every member lists',
      hosts: [initial('a', 'a=https://a:2380'), initial('b', 'a=https://a:2380,b=https://b:2380')],
      memberCount: 2,
      singleMember: false,
      basis: '2 etcd hosts in the inventory; initial-cluster lists 2 members (a, b); no live member list, so a member added since bootstrap would not show',
    },
    {
      name: 'one host, the live list showing two',
      hosts: [
        member('a', {
          processes: [etcd(['--name=a', '--initial-cluster=a=https://a:2380'])],
          memberList: live(['a', 'https://a:2380'], ['b', 'https://b:2380']),
        }),
      ],
      memberCount: 2,
      singleMember: false,
      basis: '1 etcd host in the inventory; initial-cluster lists 1 member (a); etcdctl member list shows 2 members',
    },
    {
      name: 'a live list that failed',
      hosts: [member('a', { processes: [etcd(['--name=a', '--initial-cluster=a=https://a:2380'])], memberList: { ok: false, members: [], error: 'timeout' } })],
      memberCount: 1,
      singleMember: true,
      basis:
        '1 etcd host in the inventory; initial-cluster lists 1 member (a); no live member list (a: timeout), so a member added since bootstrap would not show',
    },
    {
      name: 'one host whose initial-cluster could not be read',
      hosts: [member('a', { processes: [etcd(['--name=a'])], environ: {} })],
      memberCount: 1,
      singleMember: false,
      basis: '1 etcd host in the inventory; initial-cluster could not be read on a; no live member list, so a member added since bootstrap would not show',
    },
    {
      name: 'etcd known only by its manifest',
      hosts: [
        member('a', {
          files: [
            file('/etc/kubernetes/manifests/etcd.yaml', {
              content: staticPod({ command: ['etcd', '--name=a', '--initial-cluster=a=https://a:2380,b=https://b:2380'] }),
            }),
          ],
        }),
      ],
      memberCount: 2,
      singleMember: false,
      basis: '1 etcd host in the inventory; initial-cluster lists 2 members (a, b); no live member list, so a member added since bootstrap would not show',
    },
  ];

  it.each(rows)('$name: $memberCount', ({ hosts, memberCount, singleMember, basis }) => {
    expect(clusterOf(hosts)).toMatchObject({ name: 'c', memberCount, singleMember, basis });
  });

  it('counts a kubeadm cluster whose first member lists only itself as three (fixtures kubeadm-stacked-*)', async () => {
    const hosts = await Promise.all(
      [1, 2, 3].map(async (n) => ({ target: target(`east-cp${n}`), snapshot: probed(await loadFixture(`kubeadm-stacked-${n}of3`), `east-cp${n}`) })),
    );
    const facts = clusterOf(hosts);
    expect(facts).toMatchObject({
      inventoryMembers: ['east-cp1', 'east-cp2', 'east-cp3'],
      memberCount: 3,
      singleMember: false,
      basis:
        '3 etcd hosts in the inventory; initial-cluster lists 3 members (east-cp1, east-cp2, east-cp3); no live member list, so a member added since bootstrap would not show',
      issues: [],
    });
    // Even when the inventory names the first member only, the others' lists say it is not alone.
    expect(clusterOf(hosts.map((h, i) => (i === 0 ? h : { ...h, target: { ...h.target, roles: ['control-plane'] } })))).toMatchObject({
      memberCount: 3,
      singleMember: false,
    });
  });
});

describe('clusterFacts: what disagrees with the inventory', () => {
  it.each([
    ['its name', 'a', 'https://10.9.9.9:2380', target('a', { address: '10.0.0.1' })],
    ['the short name of the host', 'a', 'https://10.9.9.9:2380', target('a.example.com', { address: '10.0.0.1' })],
    ['the address in its peer URL', 'etcd-1', 'https://10.0.0.1:2380', target('a', { address: '10.0.0.1' })],
    ['the host name in its peer URL', 'etcd-1', 'https://a.example.com:2380', target('a.example.com', { address: '10.0.0.1' })],
    ['an IPv6 address in its peer URL', 'etcd-1', 'https://[fd00::1]:2380', target('a', { address: 'fd00::1' })],
  ])('knows an inventory host by %s', (_, name, url, t) => {
    const facts = clusterOf([{ target: t, snapshot: snapshot({ processes: [etcd([`--initial-cluster=${name}=${url}`])] }) }]);
    expect(facts.issues).toEqual([]);
  });

  it('puts a member no inventory host matches on the host whose initial-cluster names it', () => {
    const facts = clusterOf([initial('a', 'a=https://a:2380'), initial('b', 'a=https://a:2380,b=https://b:2380,x=https://10.9.9.9:2380')]);
    expect(facts.issues).toEqual([
      {
        host: 'b',
        message: 'initial-cluster on b names member "x" (https://10.9.9.9:2380), which is not a host of cluster c in the inventory',
        evidence: [{ source: 'process 100 command line', key: '--initial-cluster', value: 'a=https://a:2380,b=https://b:2380,x=https://10.9.9.9:2380' }],
      },
    ]);
  });

  it('gathers every peer URL a stranger is listed with', () => {
    const facts = clusterOf([initial('a', 'a=https://a:2380,x=https://10.9.9.9:2380'), initial('b', 'b=https://b:2380,x=https://10.9.9.10:2380')]);
    expect(facts.issues.map((i) => [i.host, i.message])).toEqual([
      ['a', 'initial-cluster on a names member "x" (https://10.9.9.9:2380, https://10.9.9.10:2380), which is not a host of cluster c in the inventory'],
    ]);
  });

  it('puts what the live member list shows on the host that asked', () => {
    const asked = member('b', { processes: [etcd(['--name=b'])], memberList: live(['b', 'https://b:2380'], ['x', 'https://10.9.9.9:2380']) });
    const facts = clusterOf([member('a', { processes: [etcd(['--name=a'])] }), asked]);
    expect(facts.issues).toEqual([
      {
        host: 'b',
        message: 'etcdctl member list on b shows member "x" (https://10.9.9.9:2380), which is not a host of cluster c in the inventory',
        evidence: [{ source: 'etcdctl member list on b', key: 'x', value: 'https://10.9.9.9:2380' }],
      },
      {
        host: 'b',
        message: 'a runs etcd member "a", which etcdctl member list on b does not show',
        evidence: [{ source: 'etcdctl member list on b', key: 'members', value: 'b,x' }],
      },
    ]);
  });

  it('names an etcd without --name by the name etcd gives itself', () => {
    const facts = clusterOf([member('a', { processes: [etcd([])], memberList: live(['a', 'https://a:2380']) })]);
    expect(facts.issues.map((i) => i.message)).toEqual(['a runs etcd member "default", which etcdctl member list on a does not show']);
  });

  it('makes the membership control WARN on the host that showed the disagreement, PASS on the others', () => {
    const hosts = [initial('a', 'a=https://a:2380'), initial('b', 'a=https://a:2380,b=https://b:2380,x=https://10.9.9.9:2380')];
    const membership = rule({ type: 'cluster-membership' });
    const statuses = hosts.map((h) => judgeOne(membership, h, { others: hosts.filter((o) => o !== h) }).status);
    expect(statuses).toEqual(['PASS', 'WARN']);
  });
});

describe("clusterFacts: the kube-apiservers' client CAs", () => {
  const apiserver = (flags: string[]) => proc(['kube-apiserver', ...flags], { pid: 200 });
  const withCa = (files: FileFact[]) => member('a', { processes: [apiserver(['--client-ca-file=/pki/ca.crt'])], files });

  it('reads the certificates of each --client-ca-file', () => {
    const [ca] = clusterOf([withCa([file('/pki/ca.crt', { content: certificate('kube-ca') })])]).apiserverClientCas;
    expect(ca).toMatchObject({
      host: 'a',
      path: '/pki/ca.crt',
      evidence: { source: 'process 200 command line', key: '--client-ca-file', value: '/pki/ca.crt' },
    });
    expect(ca?.certificates?.map((c) => c.subject)).toEqual(['CN=kubernetes']);
    expect(ca?.unreadable).toBeUndefined();
  });

  it.each([
    ['not collected', []],
    ['does not exist', [missing('/pki/ca.crt')]],
    ['not readable by audit', [file('/pki/ca.crt', { unreadable: 'not readable by audit' })]],
    ['not read', [file('/pki/ca.crt')]],
  ])('says why a CA has no certificates: %s', (reason, files) => {
    const [ca] = clusterOf([withCa(files)]).apiserverClientCas;
    expect(ca).toMatchObject({ path: '/pki/ca.crt', unreadable: reason });
    expect(ca?.certificates).toBeUndefined();
  });

  it('finds the file on the host through the hostPath mounts of the manifest', () => {
    const manifest = file('/etc/kubernetes/manifests/kube-apiserver.yaml', {
      content: staticPod({ command: ['kube-apiserver', '--client-ca-file=/srv/pki/ca.crt'], mounts: { '/srv/pki': '/etc/kubernetes/pki' } }),
    });
    const cas = clusterOf([member('a', { processes: [apiserver(['--client-ca-file=/srv/pki/ca.crt'])], files: [manifest] })]).apiserverClientCas;
    expect(cas.map((ca) => ca.path)).toEqual(['/etc/kubernetes/pki/ca.crt']);
  });

  it('collects the CAs of every host of the cluster, and none from an apiserver without the flag', () => {
    const facts = clusterOf([withCa([]), member('b', { processes: [apiserver(['--client-ca-file=/b/ca.crt'])] }), member('c', { processes: [apiserver([])] })]);
    expect(facts.apiserverClientCas.map((ca) => `${ca.host}:${ca.path}`)).toEqual(['a:/pki/ca.crt', 'b:/b/ca.crt']);
  });
});
