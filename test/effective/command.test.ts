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
    expect(found?.expansions).toEqual([{ index: 2, text: '${EXTRA_ARGS}', splits: true }]);
  });
});

describe('findComponent: wrappers, in one table', () => {
  const rows: { name: string; argv: string[]; known?: Record<string, string>; found: Partial<ReturnType<typeof findComponent>> | undefined }[] = [
    { name: 'nice with its value', argv: ['nice', '-n', '10', 'etcd', '--name=a'], found: { argv: ['etcd', '--name=a'], wrappers: ['nice'] } },
    { name: 'ionice', argv: ['/usr/bin/ionice', '-c2', '-n0', '/usr/bin/etcd'], found: { argv: ['/usr/bin/etcd'], wrappers: ['ionice'] } },
    {
      name: 'timeout with a duration',
      argv: ['timeout', '30d', 'kube-apiserver', '--secure-port=6443'],
      found: { component: 'kube-apiserver', wrappers: ['timeout'] },
    },
    {
      name: 'env with assignments and an option',
      argv: ['env', '-i', 'ETCD_NAME=a', 'GOGC=50', 'etcd'],
      found: { argv: ['etcd'], env: { ETCD_NAME: 'a', GOGC: '50' }, wrappers: ['env'], fromShell: false },
    },
    {
      name: 'sh -c with an assignment before the command',
      argv: ['/bin/sh', '-c', 'ETCD_NAME=a exec etcd --data-dir=/d'],
      found: { argv: ['etcd', '--data-dir=/d'], env: { ETCD_NAME: 'a' }, wrappers: ['sh -c', 'exec'], fromShell: true },
    },
    {
      name: 'bash -lc',
      argv: ['bash', '-lc', 'cd /var/lib && /usr/bin/etcd --name=a'],
      found: { argv: ['/usr/bin/etcd', '--name=a'], wrappers: ['bash -c'] },
    },
    {
      name: 'an assignment whose value is a command substitution',
      argv: ['sh', '-c', 'GOMAXPROCS=$(nproc) ETCD_NAME="$(hostname)" etcd'],
      found: {
        argv: ['etcd'],
        env: { GOMAXPROCS: '$(nproc)', ETCD_NAME: '$(hostname)' },
        envUnknown: { GOMAXPROCS: 'GOMAXPROCS=$(nproc)', ETCD_NAME: 'ETCD_NAME=$(hostname)' },
        expansions: [],
      },
    },
    {
      name: 'the arguments of the script',
      argv: ['sh', '-c', 'exec etcd --name=a "$@"', 'sh', '--data-dir=/d'],
      found: { argv: ['etcd', '--name=a', '$@'], expansions: [{ index: 2, text: '$@', splits: true }] },
    },
    {
      name: 'variables the environment knows',
      argv: ['sh', '-c', 'exec etcd --name=$NAME --data-dir=${DIR}/data $OTHER'],
      known: { NAME: 'm1', DIR: '/var/lib/etcd' },
      found: { argv: ['etcd', '--name=m1', '--data-dir=/var/lib/etcd/data', '$OTHER'], expansions: [{ index: 3, text: '$OTHER', splits: true }] },
    },
    {
      name: 'a shell string inside nice',
      argv: ['nice', '-n', '-5', '/bin/sh', '-c', 'exec ionice -c2 etcd --name=a'],
      found: { argv: ['etcd', '--name=a'], wrappers: ['nice', 'sh -c', 'exec', 'ionice'], origin: [5, 5] },
    },
    { name: 'a shell that runs something else', argv: ['sh', '-c', 'etcdctl member list; echo etcd'], found: undefined },
    { name: 'a shell without -c', argv: ['bash', '/usr/local/bin/start-etcd.sh'], found: undefined },
    { name: 'a wrapper around something else', argv: ['nice', '-n', '10', 'backup-etcd', '--data-dir=/d'], found: undefined },
  ];

  it.each(rows)('$name', ({ argv, known, found }) => {
    const command = findComponent(argv, known);
    expect(command === undefined).toBe(found === undefined);
    if (found === undefined) expect(command).toBeUndefined();
    else expect(command).toMatchObject({ component: 'etcd', ...found });
  });

  // Every expansion sh would perform on a word and fleetbench cannot (POSIX XCU 2.6 "Word
  // Expansions"; bash "Brace Expansion"): the word is an Expansion, `splits` when the shell may make
  // several words of it (unquoted, so field splitting and pathname expansion apply; "$@").
  const expansionRows: { script: string; known?: Record<string, string>; expansions: { text: string; splits: boolean }[] }[] = [
    { script: 'etcd $(cat /etc/etcd.flags)', expansions: [{ text: '$(cat /etc/etcd.flags)', splits: true }] },
    { script: 'etcd `cat /etc/etcd.flags`', expansions: [{ text: '`cat /etc/etcd.flags`', splits: true }] },
    { script: 'etcd "$(cat /x)"', expansions: [{ text: '$(cat /x)', splits: false }] },
    { script: 'etcd --name=$(hostname)', expansions: [{ text: '--name=$(hostname)', splits: true }] },
    { script: 'etcd --name="$(hostname)"', expansions: [{ text: '--name=$(hostname)', splits: false }] },
    {
      script: 'etcd $1 $* $#',
      expansions: [
        { text: '$1', splits: true },
        { text: '$*', splits: true },
        { text: '$#', splits: true },
      ],
    },
    { script: 'etcd "$@"', expansions: [{ text: '$@', splits: true }] },
    { script: 'etcd "$*"', expansions: [{ text: '$*', splits: false }] },
    { script: 'etcd --quota-backend-bytes=$((8*1024))', expansions: [{ text: '--quota-backend-bytes=$((8*1024))', splits: true }] },
    { script: 'etcd ${OPTS:-}', expansions: [{ text: '${OPTS:-}', splits: true }] },
    { script: 'etcd --data-dir=~/etcd', expansions: [{ text: '--data-dir=~/etcd', splits: false }] },
    { script: 'etcd ~etcd/flags', expansions: [{ text: '~etcd/flags', splits: false }] },
    { script: 'etcd /etc/etcd/*.flags', expansions: [{ text: '/etc/etcd/*.flags', splits: true }] },
    {
      script: 'etcd --name=node? --x=[ab]',
      expansions: [
        { text: '--name=node?', splits: true },
        { text: '--x=[ab]', splits: true },
      ],
    },
    { script: 'etcd --{client,peer}-cert-auth', expansions: [{ text: '--{client,peer}-cert-auth', splits: true }] },
    { script: `etcd '--name=*' "--x=~" --y=\\*`, expansions: [] },
    { script: 'etcd --name=$N', known: { N: 'a b' }, expansions: [{ text: '--name=$N', splits: true }] },
    { script: 'etcd "--name=$N"', known: { N: 'a b' }, expansions: [] },
  ];

  it.each(expansionRows)('sh -c $script', ({ script, known, expansions }) => {
    const command = findComponent(['sh', '-c', script], known);
    expect(command?.expansions.map(({ text, splits }) => ({ text, splits }))).toEqual(expansions);
  });

  it('gives up on wrappers nested too deep', () => {
    const nested = Array.from({ length: 12 }, () => 'nice').concat(['etcd']);
    expect(findComponent(nested)).toBeUndefined();
    expect(findComponent(nested.slice(4))?.wrappers).toHaveLength(8);
  });
});
