import { describe, expect, it } from 'vitest';
import { findComponent } from '../../src/effective/command.js';

describe('findComponent', () => {
  it('knows a process by the base name of its executable only', () => {
    expect(findComponent(['/usr/local/bin/etcd', '--name=a'])?.component).toBe('etcd');
    expect(findComponent(['kube-apiserver', '--etcd-servers=https://127.0.0.1:2379'])?.component).toBe('kube-apiserver');
    expect(findComponent(['grep', '--color=auto', 'etcd'])).toBeUndefined();
    expect(findComponent(['etcdctl', 'member', 'list'])).toBeUndefined();
    expect(findComponent(['vim', '/etc/kubernetes/manifests/etcd.yaml'])).toBeUndefined();
    expect(findComponent(['/opt/etcd-backup/etcd-snapshot', '--data-dir=/var/lib/etcd'])).toBeUndefined();
  });

  it('does not take etcd grpc-proxy or gateway for an etcd server', () => {
    expect(findComponent(['etcd', 'grpc-proxy', 'start', '--endpoints=https://127.0.0.1:2379'])).toBeUndefined();
    expect(findComponent(['etcd', 'gateway', 'start'])).toBeUndefined();
  });

  it('looks through nice/ionice chains and env assignments', () => {
    const found = findComponent(['nice', '-n', '-19', 'ionice', '-c2', '-n0', 'env', 'ETCD_NAME=a', '/usr/bin/etcd', '--data-dir=/d']);
    expect(found?.argv).toEqual(['/usr/bin/etcd', '--data-dir=/d']);
    expect(found?.env).toEqual({ ETCD_NAME: 'a' });
    expect(found?.wrappers).toEqual(['nice', 'ionice', 'env']);
    expect(found?.origin).toEqual([8, 9]);
  });

  it('reads the command string of sh -c, with shell quoting and assignments', () => {
    const found = findComponent(['/bin/bash', '-c', 'GOMAXPROCS=$(nproc) /usr/bin/etcd --name="node 1" --client-cert-auth="true" >/var/log/etcd.log 2>&1']);
    expect(found?.argv).toEqual(['/usr/bin/etcd', '--name=node 1', '--client-cert-auth=true']);
    expect(found?.env).toEqual({ GOMAXPROCS: '$(nproc)' });
    expect(found?.fromShell).toBe(true);
    expect(found?.origin).toEqual([2, 2, 2]);
  });

  it('finds exec nice ... etcd among several commands of a script, and notes unexpanded words', () => {
    const script = '#!/bin/sh\nset -euo pipefail\nexport X=1\nexec nice -n -19 ionice -c2 -n0 etcd \\\n  --cert-file=/c.crt \\\n  ${EXTRA_ARGS}\n';
    const found = findComponent(['/bin/sh', '-c', script]);
    expect(found?.argv).toEqual(['etcd', '--cert-file=/c.crt', '${EXTRA_ARGS}']);
    expect(found?.unexpanded).toEqual(['${EXTRA_ARGS}']);
  });
});
