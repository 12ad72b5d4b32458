import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/effective/manifest.js';
import { staticPod } from '../support/host-snapshot.js';

// A static pod manifest: the containers that run etcd or kube-apiserver, their command with the
// line of every word, the variables their spec sets, their hostPath mounts.

const PATH = '/etc/kubernetes/manifests/etcd.yaml';
const read = (text: string) => {
  const result = readManifest(PATH, text);
  if (!result.ok) throw new Error(result.error);
  return result.found;
};

describe('readManifest', () => {
  it('reads command then args as one command line, with the line of each word', () => {
    const [found] = read(staticPod({ command: ['etcd'], args: ['--name=a', '--data-dir', '/var/lib/etcd'] }));
    expect(found?.command.argv).toEqual(['etcd', '--name=a', '--data-dir', '/var/lib/etcd']);
    expect(found?.lines).toEqual([9, 11, 12, 13]);
  });

  it('reads a kubeadm manifest as written by hand, scalars of every style', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '  - name: etcd',
      '    command:',
      '    - etcd',
      "    - '--name=a'",
      '    - "--snapshot-count=10000"',
      '    - >-',
      '      --initial-cluster=a=https://10.0.0.1:2380',
      '    env:',
      '    - name: ETCD_QUOTA_BACKEND_BYTES',
      '      value: 8589934592',
      '    - name: ETCD_UNSET',
      '    - name: ETCD_FROM_FIELD',
      '      valueFrom: { fieldRef: { fieldPath: status.podIP } }',
      '',
    ].join('\n');
    const [found] = read(text);
    expect(found?.command.argv).toEqual(['etcd', '--name=a', '--snapshot-count=10000', '--initial-cluster=a=https://10.0.0.1:2380']);
    expect(found?.lines).toEqual([7, 8, 9, 10]);
    // Each variable with its line and container; a name without a value is set empty (the kubelet's
    // makeEnvironmentVariables), a valueFrom is resolved by the kubelet only.
    expect(found?.env).toEqual(
      new Map([
        ['ETCD_QUOTA_BACKEND_BYTES', { value: '8589934592', source: `${PATH} line 13 (env of container etcd)` }],
        ['ETCD_UNSET', { value: '', source: `${PATH} line 15 (env of container etcd)` }],
        [
          'ETCD_FROM_FIELD',
          {
            value: '',
            source: `${PATH} line 16 (env of container etcd)`,
            unknown: 'it is set from valueFrom (a field, secret or config map the kubelet resolves)',
          },
        ],
      ]),
    );
  });

  it('keeps the hostPath mounts of the container, and only those', () => {
    const text = staticPod({ command: ['etcd'], mounts: { '/var/lib/etcd': '/data/etcd', '/etc/kubernetes/pki/etcd': '/etc/kubernetes/pki/etcd' } }).replace(
      '  volumes:\n',
      '  volumes:\n  - { name: scratch, emptyDir: {} }\n',
    );
    const withScratch = text.replace('    volumeMounts:\n', '    volumeMounts:\n    - { name: scratch, mountPath: /tmp }\n');
    expect(read(withScratch)[0]?.mounts).toEqual([
      { containerPath: '/var/lib/etcd', hostPath: '/data/etcd' },
      { containerPath: '/etc/kubernetes/pki/etcd', hostPath: '/etc/kubernetes/pki/etcd' },
    ]);
  });

  it('finds the component among other containers, through a shell wrapper, with the variables it may expand', () => {
    const text = [
      'spec:',
      '  containers:',
      '  - name: sidecar',
      '    command: [/bin/sh, -c, "sleep infinity"]',
      '  - name: etcd',
      '    env: [{ name: NODE_NAME, value: m1 }]',
      '    command:',
      '    - /bin/sh',
      '    - -c',
      '    - |',
      '      exec etcd --name=${NODE_NAME} \\',
      '        --data-dir=/var/lib/etcd',
      '',
    ].join('\n');
    const found = read(text);
    expect(found).toHaveLength(1);
    expect(found[0]?.command).toMatchObject({ argv: ['etcd', '--name=m1', '--data-dir=/var/lib/etcd'], wrappers: ['sh -c', 'exec'], env: {} });
    expect(found[0]?.env.get('NODE_NAME')).toMatchObject({ value: 'm1' });
    expect(found[0]?.lines).toEqual([10, 10, 10]);
  });

  it('finds every container that runs a component', () => {
    const two = 'spec:\n  containers:\n  - command: [etcd, --name=a]\n  - command: [kube-apiserver, --secure-port=6443]\n  - command: [pause]\n';
    expect(read(two).map((m) => m.command.component)).toEqual(['etcd', 'kube-apiserver']);
  });

  it.each([
    ['not YAML', 'spec: [unclosed\n', /^not valid YAML: /],
    ['no containers', 'apiVersion: v1\nkind: Pod\nspec: {}\n', /^no spec.containers list$/],
    ['a list, not a pod', '- etcd\n', /^no spec.containers list$/],
  ])('says why it read nothing from %s', (_, text, error) => {
    const result = readManifest(PATH, text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });

  it('reads nothing from a pod that runs no component', () => {
    expect(read(staticPod({ command: ['kube-scheduler', '--bind-address=127.0.0.1'] }))).toEqual([]);
  });
});

describe("readManifest: the kubelet's $(VAR) expansion", () => {
  it('expands command and args with the container env, and env values with the variables before them', () => {
    const [found] = read(
      staticPod({
        command: ['etcd', '--client-cert-auth=$(CCA)', '--name=$(NAME)', '--data-dir=$$(NOT)', '--wal-dir=$(UNDEFINED)'],
        env: { CCA: 'true', HOST: 'a', NAME: 'etcd-$(HOST)' },
      }),
    );
    expect(found?.command.argv).toEqual(['etcd', '--client-cert-auth=true', '--name=etcd-a', '--data-dir=$(NOT)', '--wal-dir=$(UNDEFINED)']);
    expect(found?.env.get('NAME')?.value).toBe('etcd-a');
    expect(found?.command.expansions).toEqual([]);
  });

  it('takes a word or variable that uses a valueFrom variable as unknown', () => {
    const text = [
      'spec:',
      '  containers:',
      '  - name: etcd',
      '    command: [etcd, "--client-cert-auth=$(CCA)", "--name=a"]',
      '    env:',
      '    - { name: CCA, valueFrom: { configMapKeyRef: { name: etcd, key: cca } } }',
      '    - { name: ETCD_AUTO_TLS, value: "$(CCA)" }',
    ].join('\n');
    const [found] = read(text);
    expect(found?.command.expansions).toEqual([{ index: 1, text: '--client-cert-auth=$(CCA)', splits: false }]);
    expect(found?.env.get('ETCD_AUTO_TLS')?.unknown).toBe('its value uses $(CCA), which is set from valueFrom (the kubelet resolves it)');
  });
});
