import { describe, expect, it } from 'vitest';
import { discoverComponents } from '../../src/effective/discover.js';
import type { ComponentInstance } from '../../src/effective/host-components.js';
import { loadFixture } from '../../src/demo/fixtures.js';
import type { FileFact, ProcessInfo } from '../../src/model.js';
import { dir, file, probed, proc, snapshot, staticPod } from '../support/host-snapshot.js';

// Which etcd and kube-apiserver instances a host has: the processes the probe trusted, each paired
// with the static pod manifest a restart would run, the manifests nothing runs, and the places the
// probe could not look into.

const MANIFESTS = '/etc/kubernetes/manifests';
const pod = (name: string, command: string[], extra: Partial<FileFact> = {}) => file(`${MANIFESTS}/${name}`, { content: staticPod({ command }), ...extra });
const discover = (processes: ProcessInfo[], files: FileFact[] = []) => discoverComponents(snapshot({ processes, files }));
/** An instance, by what it is made of. */
const shape = (i: ComponentInstance) => ({ pid: i.pid, manifest: i.manifest, running: i.running?.label, onDisk: i.onDisk?.label });

describe('discoverComponents: processes', () => {
  const rows: { name: string; processes: ProcessInfo[]; etcd: (number | undefined)[]; apiserver?: (number | undefined)[] }[] = [
    { name: 'a trusted etcd and kube-apiserver', processes: [proc(['etcd']), proc(['kube-apiserver'], { pid: 200 })], etcd: [100], apiserver: [200] },
    { name: 'an etcd the probe did not trust', processes: [proc(['etcd'], { trusted: false, user: 'tenant', uid: 1001 })], etcd: [] },
    { name: 'an etcd the probe did not look into', processes: [proc(['etcd'], { trusted: undefined, argvSource: 'ps' })], etcd: [] },
    {
      name: 'programs that only mention etcd',
      processes: [proc(['etcdctl', 'member', 'list']), proc(['vim', `${MANIFESTS}/etcd.yaml`]), proc(['etcd', 'grpc-proxy', 'start'])],
      etcd: [],
    },
    {
      name: 'a shell running etcd as its child: the child only',
      processes: [proc(['/bin/sh', '-c', 'etcd --name=a; sleep 1'], { pid: 10 }), proc(['etcd', '--name=a'], { pid: 11, ppid: 10 })],
      etcd: [11],
    },
    { name: 'a shell that exec-ed into etcd is etcd', processes: [proc(['/bin/sh', '-c', 'exec etcd --name=a'], { pid: 10 })], etcd: [10] },
    { name: 'two etcd processes', processes: [proc(['etcd', '--name=a']), proc(['etcd', '--name=b'], { pid: 101 })], etcd: [100, 101] },
  ];

  it.each(rows)('$name', ({ processes, etcd, apiserver }) => {
    const found = discover(processes);
    expect(found.etcd.map((i) => i.pid)).toEqual(etcd);
    expect(found.apiserver.map((i) => i.pid)).toEqual(apiserver ?? []);
  });

  it('keeps what the instance needs to be judged: working directory and systemd unit', () => {
    const [instance] = discover([proc(['etcd'], { cwd: '/var/lib/etcd', unit: 'etcd.service' })]).etcd;
    expect(instance).toMatchObject({ component: 'etcd', pid: 100, cwd: '/var/lib/etcd', unit: 'etcd.service', mounts: [] });
    expect(instance?.manifest).toBeUndefined();
  });
});

describe('discoverComponents: pairing a running process with its manifest', () => {
  it('pairs the only etcd manifest with the running etcd, with its mounts', () => {
    const manifest = file(`${MANIFESTS}/etcd.yaml`, { content: staticPod({ command: ['etcd', '--name=a'], mounts: { '/var/lib/etcd': '/data/etcd' } }) });
    const [instance] = discover([proc(['etcd', '--name=a'])], [manifest]).etcd;
    expect(instance).toMatchObject({
      pid: 100,
      manifest: `${MANIFESTS}/etcd.yaml`,
      running: { label: 'etcd process 100' },
      onDisk: { label: `etcd manifest ${MANIFESTS}/etcd.yaml` },
      mounts: [{ containerPath: '/var/lib/etcd', hostPath: '/data/etcd' }],
    });
  });

  it('pairs the only manifest even when it disagrees: that is drift, judged by the rules', () => {
    const [instance] = discover([proc(['etcd', '--name=a'])], [pod('etcd.yaml', ['etcd', '--name=b'])]).etcd;
    expect(shape(instance!)).toEqual({
      pid: 100,
      manifest: `${MANIFESTS}/etcd.yaml`,
      running: 'etcd process 100',
      onDisk: `etcd manifest ${MANIFESTS}/etcd.yaml`,
    });
  });

  it('pairs each of several processes with the manifest of the same member, and keeps the others apart', () => {
    const found = discover(
      [proc(['etcd', '--name=b', '--data-dir=/b']), proc(['etcd', '--name=a', '--data-dir=/a'], { pid: 101 })],
      [
        pod('etcd-a.yaml', ['etcd', '--name=a', '--data-dir=/a']),
        pod('etcd-b.yaml', ['etcd', '--name=b', '--data-dir=/b']),
        pod('etcd-c.yaml', ['etcd', '--name=c']),
      ],
    );
    expect(found.etcd.map(shape)).toEqual([
      { pid: 100, manifest: `${MANIFESTS}/etcd-b.yaml`, running: 'etcd process 100', onDisk: `etcd manifest ${MANIFESTS}/etcd-b.yaml` },
      { pid: 101, manifest: `${MANIFESTS}/etcd-a.yaml`, running: 'etcd process 101', onDisk: `etcd manifest ${MANIFESTS}/etcd-a.yaml` },
      { pid: undefined, manifest: `${MANIFESTS}/etcd-c.yaml`, running: undefined, onDisk: `etcd manifest ${MANIFESTS}/etcd-c.yaml` },
    ]);
  });

  it('does not guess among several manifests when none names the same member', () => {
    const found = discover([proc(['etcd', '--name=x'])], [pod('etcd-a.yaml', ['etcd', '--name=a']), pod('etcd-b.yaml', ['etcd', '--name=b'])]);
    expect(found.etcd.map((i) => [i.pid, i.manifest])).toEqual([
      [100, undefined],
      [undefined, `${MANIFESTS}/etcd-a.yaml`],
      [undefined, `${MANIFESTS}/etcd-b.yaml`],
    ]);
  });

  it('pairs etcd with an etcd manifest and kube-apiserver with its own', () => {
    const found = discover(
      [proc(['etcd']), proc(['kube-apiserver'], { pid: 200 })],
      [pod('etcd.yaml', ['etcd']), pod('kube-apiserver.yaml', ['kube-apiserver'])],
    );
    expect([found.etcd[0]?.manifest, found.apiserver[0]?.manifest]).toEqual([`${MANIFESTS}/etcd.yaml`, `${MANIFESTS}/kube-apiserver.yaml`]);
  });

  it('reads every manifest of the directory but hidden ones, and nothing outside it', () => {
    const found = discover(
      [],
      [pod('.etcd.yaml.swp', ['etcd']), file('/root/etcd.yaml', { content: staticPod({ command: ['etcd'] }) }), pod('etcd.yaml.bak', ['etcd', '--name=old'])],
    );
    expect(found.etcd.map((i) => i.manifest)).toEqual([`${MANIFESTS}/etcd.yaml.bak`]);
  });

  it('takes a manifest that is not a pod for no instance', () => {
    expect(discover([], [file(`${MANIFESTS}/etcd.yaml`, { content: 'not: [a pod' })]).etcd).toEqual([]);
  });
});

describe('discoverComponents: what could not be read', () => {
  it('takes the one unreadable etcd manifest for the running etcd, and says its content was not read', () => {
    const found = discover([proc(['etcd'])], [file(`${MANIFESTS}/etcd.yaml`, { unreadable: 'not readable by audit' })]);
    expect(found.etcd).toHaveLength(1);
    expect(found.etcd[0]).toMatchObject({ pid: 100, manifest: `${MANIFESTS}/etcd.yaml`, manifestUnread: 'not readable by audit' });
    expect(found.etcd[0]?.onDisk).toBeUndefined();
    expect(found.blindSpots).toEqual([`${MANIFESTS}/etcd.yaml: not readable by audit`]);
  });

  it('does not take an unreadable manifest named after the other component', () => {
    const found = discover([proc(['etcd'])], [file(`${MANIFESTS}/kube-apiserver.yaml`, { unreadable: 'not readable by audit' })]);
    expect(found.etcd[0]?.manifest).toBeUndefined();
  });

  it('does not guess between two unreadable etcd manifests', () => {
    const unread = (name: string) => file(`${MANIFESTS}/${name}`, { unreadable: 'not readable by audit' });
    const found = discover([proc(['etcd'])], [unread('etcd.yaml'), unread('etcd-old.yaml')]);
    expect(found.etcd[0]?.manifest).toBeUndefined();
    expect(found.blindSpots).toHaveLength(2);
  });

  it('names a manifest directory an unprivileged probe could not list as a blind spot', () => {
    const found = discoverComponents(snapshot({ privilege: 'unprivileged', files: [dir(MANIFESTS)] }));
    expect(found.blindSpots).toEqual([`${MANIFESTS} (mode 0700, root:root) cannot be listed without root: scan with --become, or set become in the inventory`]);
  });

  it('names a manifest directory it could not see as a blind spot, and one that is not there as none', () => {
    const unseen = discover([], [{ path: MANIFESTS, exists: false, unreadable: 'Permission denied' }]);
    expect(unseen.blindSpots).toContain(`${MANIFESTS} cannot be seen (Permission denied)`);
    expect(discover([], []).blindSpots).toEqual([]);
  });

  it('has no blind spot where everything was read', () => {
    expect(discover([proc(['etcd'])], [dir(MANIFESTS), pod('etcd.yaml', ['etcd'])]).blindSpots).toEqual([]);
  });
});

describe('discoverComponents on a fixture host read by the real parser', () => {
  it("audits only root's etcd, not the one a tenant started", () => {
    const process = (pid: number, user: string, uid: number) => ({ pid, ppid: 1, user, uid, argv: ['etcd', `--data-dir=/home/${user}/etcd`] });
    const snap = probed({ processes: [process(100, 'root', 0), process(200, 'tenant', 1001)], files: {}, sudo: 'nopasswd' });
    expect(snap.processes.map((p) => [p.pid, p.trusted])).toEqual([
      [100, true],
      [200, false],
    ]);
    expect(discoverComponents(snap).etcd.map((i) => i.pid)).toEqual([100]);
  });

  it('pairs the kubeadm etcd with its manifest and mounts (fixture kubeadm-single)', async () => {
    const found = discoverComponents(probed(await loadFixture('kubeadm-single')));
    expect(found.etcd.map(shape)).toEqual([
      { pid: 1795, manifest: `${MANIFESTS}/etcd.yaml`, running: 'etcd process 1795', onDisk: `etcd manifest ${MANIFESTS}/etcd.yaml` },
    ]);
    expect(found.etcd[0]?.mounts).toContainEqual({ containerPath: '/var/lib/etcd', hostPath: '/var/lib/etcd' });
    expect(found.apiserver.map(shape)).toEqual([
      {
        pid: 1758,
        manifest: `${MANIFESTS}/kube-apiserver.yaml`,
        running: 'kube-apiserver process 1758',
        onDisk: `kube-apiserver manifest ${MANIFESTS}/kube-apiserver.yaml`,
      },
    ]);
    expect(found.blindSpots).toEqual([]);
  });
});
