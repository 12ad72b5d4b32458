import { describe, expect, it } from 'vitest';
import type { HostComponents } from '../../src/effective/host-components.js';
import type { FileFact, ProcessInfo, Role, Status } from '../../src/model.js';
import { DEFAULT_BENCHMARK } from '../../src/rules/benchmarks.js';
import type { BenchmarkVersion } from '../../src/rules/benchmarks.js';
import { evaluateHost, unscannedFindings } from '../../src/rules/evaluate.js';
import { loadRules } from '../../src/rules/rule-file.js';
import type { Rule } from '../../src/rules/rule-file.js';
import { certificate, dir, file, proc, snapshot, staticPod, TRUSTED_CA_ALONE, withClientTls } from '../support/host-snapshot.js';
import type { HostInput } from '../support/judge.js';
import { clusterOf, judge, judgeOne, rule, target } from '../support/judge.js';

// Raw facts of a host -> its effective configuration -> one finding per rule, as a scan judges a
// host once its cluster is collected. Each table row states only the facts it is about.

const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
const etcd = (flags: string[], extra: Partial<ProcessInfo> = {}) => proc(withClientTls(['etcd', ...flags]), extra);
const apiserver = (flags: string[]) => proc(['kube-apiserver', ...flags], { pid: 200 });
const etcdManifest = (flags: string[], extra: Partial<FileFact> = {}) =>
  file(MANIFEST, { content: staticPod({ command: withClientTls(['etcd', ...flags]) }), ...extra });
const host = (processes: ProcessInfo[], files: FileFact[] = [], roles: Role[] = ['etcd', 'control-plane']): HostInput => ({
  target: target('h', { roles }),
  snapshot: snapshot({ processes, files }),
});

const clientCertAuth = rule({ type: 'flag-true', settings: ['client-cert-auth'] });
const noAutoTls = rule({ type: 'flag-not-true', settings: ['auto-tls'] });
const certAndKey = rule({ type: 'flags-set', settings: ['cert-file', 'key-file'] });
const dataDirMode = rule({ type: 'file-mode', file: 'etcd-data-dir', maxMode: { '1.12': 0o700 } });
const dataDirOwner = rule({ type: 'file-owner', file: 'etcd-data-dir', owners: ['etcd:etcd'] });
const uniqueCa = rule({ type: 'unique-ca' });
const membership = rule({ type: 'cluster-membership' });
const apiserverCafile = rule({ type: 'flags-set', settings: ['etcd-cafile'] }, { component: 'kube-apiserver' });

const NO_LIVE_LIST = '; no live member list, so a member added since bootstrap would not show';

const ETCD_CA = file('/pki/etcd-ca.crt', { mode: 0o644, content: certificate('etcd-ca') });
const KUBE_CA = file('/pki/ca.crt', { mode: 0o644, content: certificate('kube-ca') });

describe('evaluateHost: every check kind on a running etcd', () => {
  const rows: { name: string; rule: Rule; processes: ProcessInfo[]; files?: FileFact[]; status: Status; actual: string }[] = [
    { name: 'flag-true set true', rule: clientCertAuth, processes: [etcd(['--client-cert-auth=true'])], status: 'PASS', actual: '--client-cert-auth=true' },
    { name: 'flag-true set false', rule: clientCertAuth, processes: [etcd(['--client-cert-auth=false'])], status: 'FAIL', actual: '--client-cert-auth=false' },
    { name: 'flag-true absent', rule: clientCertAuth, processes: [etcd([])], status: 'FAIL', actual: '--client-cert-auth not set' },
    { name: 'flag-not-true absent', rule: noAutoTls, processes: [etcd([])], status: 'PASS', actual: '--auto-tls not set' },
    { name: 'flag-not-true bare', rule: noAutoTls, processes: [etcd(['--auto-tls'])], status: 'FAIL', actual: '--auto-tls=true (bare flag)' },
    {
      name: 'flags-set both',
      rule: certAndKey,
      processes: [etcd(['--listen-client-urls=https://127.0.0.1:2379', '--cert-file=/pki/s.crt', '--key-file=/pki/s.key', '--trusted-ca-file=/pki/ca.crt'])],
      status: 'PASS',
      actual: '--cert-file=/pki/s.crt, --key-file=/pki/s.key',
    },
    {
      name: 'flags-set one of two',
      rule: certAndKey,
      processes: [etcd(['--cert-file=/pki/s.crt'])],
      status: 'FAIL',
      actual: '--cert-file=/pki/s.crt, --key-file not set',
    },
    {
      name: 'file-mode strict enough',
      rule: dataDirMode,
      processes: [etcd(['--data-dir=/var/lib/etcd'])],
      files: [dir('/var/lib/etcd', { mode: 0o700 })],
      status: 'PASS',
      actual: 'mode 0700',
    },
    {
      name: 'file-mode too loose',
      rule: dataDirMode,
      processes: [etcd(['--data-dir=/var/lib/etcd'])],
      files: [dir('/var/lib/etcd', { mode: 0o755 })],
      status: 'FAIL',
      actual: 'mode 0755',
    },
    {
      name: 'file-owner allowed',
      rule: dataDirOwner,
      processes: [etcd(['--data-dir=/var/lib/etcd'])],
      files: [dir('/var/lib/etcd', { owner: 'etcd', group: 'etcd', uid: 998, gid: 998 })],
      status: 'PASS',
      actual: 'owned by etcd:etcd',
    },
    {
      name: 'file-owner other',
      rule: dataDirOwner,
      processes: [etcd(['--data-dir=/var/lib/etcd'])],
      files: [dir('/var/lib/etcd')],
      status: 'FAIL',
      actual: 'owned by root:root',
    },
    {
      name: 'unique-ca distinct',
      rule: uniqueCa,
      processes: [etcd(['--trusted-ca-file=/pki/etcd-ca.crt']), apiserver(['--client-ca-file=/pki/ca.crt'])],
      files: [ETCD_CA, KUBE_CA],
      status: 'PASS',
      actual: 'distinct CA',
    },
    {
      name: 'unique-ca same file',
      rule: uniqueCa,
      processes: [etcd(['--trusted-ca-file=/pki/ca.crt']), apiserver(['--client-ca-file=/pki/ca.crt'])],
      files: [KUBE_CA],
      status: 'FAIL',
      actual: 'same CA file as kube-apiserver',
    },
    {
      name: 'cluster-membership agrees',
      rule: membership,
      processes: [etcd(['--name=h', '--initial-cluster=h=https://h:2380'])],
      status: 'PASS',
      actual: 'agrees',
    },
    {
      name: 'cluster-membership stranger',
      rule: membership,
      processes: [etcd(['--name=h', '--initial-cluster=h=https://h:2380,x=https://10.9.9.9:2380'])],
      status: 'WARN',
      actual: 'initial-cluster on h names member "x" (https://10.9.9.9:2380), which is not a host of cluster c in the inventory',
    },
    {
      name: 'kube-apiserver flags-set',
      rule: apiserverCafile,
      processes: [apiserver(['--etcd-cafile=/pki/etcd-ca.crt'])],
      status: 'PASS',
      actual: '--etcd-cafile=/pki/etcd-ca.crt',
    },
  ];

  it.each(rows)('$name: $status', ({ rule: r, processes, files, status, actual }) => {
    const finding = judgeOne(r, host(processes, files));
    expect({ status: finding.status, actual: finding.actual }).toEqual({ status, actual });
    expect(finding).toMatchObject({ host: 'h', cluster: 'c', ruleId: r.id, control: '9.9', title: r.title, remediation: r.remediation });
  });

  it('gives one finding per rule, in the order of the rules', () => {
    const findings = judge([membership, clientCertAuth, noAutoTls], host([etcd(['--client-cert-auth=true', '--auto-tls'])]));
    expect(findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['test-cluster-membership', 'PASS'],
      ['test-flag-true', 'PASS'],
      ['test-flag-not-true', 'FAIL'],
    ]);
  });

  it('says where each value came from, and where an absent one was looked for', () => {
    const set = judgeOne(clientCertAuth, host([etcd(['--client-cert-auth=true'])]));
    expect(set.evidence).toEqual([{ source: 'process 100 command line', key: '--client-cert-auth', value: 'true' }]);
    expect(set.reason).toBe('--client-cert-auth is true (--client-cert-auth=true in process 100 command line)');
    const absent = judgeOne(clientCertAuth, host([etcd([])]));
    expect(absent.evidence).toEqual([
      { source: 'process 100 command line', key: '--client-cert-auth', value: null },
      { source: 'environment of pid 100', key: 'ETCD_CLIENT_CERT_AUTH', value: null },
    ]);
    expect(absent.reason).toBe(`--client-cert-auth is not set (etcd defaults to false)${TRUSTED_CA_ALONE}`);
  });
});

describe('evaluateHost: a component that is not found', () => {
  // A directory the probe could not even stat: its parent was not searchable.
  const blind: FileFact = { path: '/etc/kubernetes/manifests', exists: false, unreadable: 'Permission denied' };
  const rows: { name: string; rule: Rule; roles: Role[]; files?: FileFact[]; status: Status; reason: string }[] = [
    {
      name: 'etcd on an etcd host',
      rule: clientCertAuth,
      roles: ['etcd'],
      status: 'ERROR',
      reason:
        'the inventory gives this host the etcd role, but no process whose executable is etcd, no static pod manifest running it, no k3s datastore was found',
    },
    {
      name: 'etcd on a control-plane host',
      rule: clientCertAuth,
      roles: ['control-plane'],
      status: 'NOT_APPLICABLE',
      reason: 'etcd does not run on this host (no process whose executable is etcd, no static pod manifest running it, no k3s datastore was found)',
    },
    {
      name: 'kube-apiserver on a control-plane host',
      rule: apiserverCafile,
      roles: ['control-plane'],
      status: 'ERROR',
      reason:
        'the inventory gives this host the control-plane role, but no process whose executable is kube-apiserver, no static pod manifest running it was found',
    },
    {
      name: 'kube-apiserver on an etcd host',
      rule: apiserverCafile,
      roles: ['etcd'],
      status: 'NOT_APPLICABLE',
      reason: 'kube-apiserver does not run on this host (no process whose executable is kube-apiserver, no static pod manifest running it was found)',
    },
    {
      name: 'etcd on an etcd host whose manifest directory could not be read',
      rule: clientCertAuth,
      roles: ['etcd'],
      files: [blind],
      status: 'ERROR',
      reason:
        'no process whose executable is etcd, no static pod manifest running it, no k3s datastore was found, but fleetbench could not look everywhere: /etc/kubernetes/manifests cannot be seen (Permission denied)',
    },
    {
      name: 'kube-apiserver on a control-plane host whose manifest could not be read',
      rule: apiserverCafile,
      roles: ['control-plane'],
      files: [file('/etc/kubernetes/manifests/kube-apiserver.yaml', { unreadable: 'not readable by audit' })],
      status: 'ERROR',
      reason:
        'no process whose executable is kube-apiserver, no static pod manifest running it was found, but fleetbench could not look everywhere: /etc/kubernetes/manifests/kube-apiserver.yaml: not readable by audit',
    },
    {
      // Absence rests on a look that could have seen it, whatever the role: a manifest may wait there.
      name: 'etcd on a worker whose manifest directory could not be read',
      rule: clientCertAuth,
      roles: ['worker'],
      files: [blind],
      status: 'ERROR',
      reason:
        'no process whose executable is etcd, no static pod manifest running it, no k3s datastore was found, but fleetbench could not look everywhere: /etc/kubernetes/manifests cannot be seen (Permission denied)',
    },
  ];

  it.each(rows)('$name: $status', ({ rule: r, roles, files, status, reason }) => {
    const finding = judgeOne(r, host([proc(['/usr/bin/kubelet'])], files, roles));
    expect({ status: finding.status, reason: finding.reason }).toEqual({ status, reason });
  });

  it('does not count a program named etcd that the probe did not trust', () => {
    const finding = judgeOne(clientCertAuth, host([etcd(['--client-cert-auth=true'], { user: 'tenant', uid: 1001, trusted: false })], [], ['etcd']));
    expect(finding.status).toBe('ERROR');
    expect(finding.actual).toBe('etcd not found');
  });

  describe('on k3s', () => {
    const datastores = {
      etcd: { kind: 'etcd', reason: 'k3s keeps its data in embedded etcd (/var/lib/rancher/k3s/server/db/etcd/config exists)', evidence: [] },
      kine: { kind: 'kine', reason: 'k3s on this host keeps its data in kine (sqlite or an external database)', evidence: [] },
      unknown: { kind: 'unknown', reason: 'the data directory of k3s (pid 42) cannot be told: /etc/rancher/k3s could not be listed', evidence: [] },
    } as const;
    const k3s = (datastore: keyof typeof datastores): HostComponents => ({
      etcd: [],
      apiserver: [],
      rancher: [
        {
          program: 'k3s',
          pid: 42,
          dataDir: { path: '/var/lib/rancher/k3s', evidence: [] },
          datastore: { ...datastores[datastore], evidence: [] },
          needs: { read: [], stat: [], pick: [] },
        },
      ],
      blindSpots: [],
    });
    const evaluate = (r: Rule, components: HostComponents) => {
      const h = host([]);
      return evaluateHost([r], { ...h, components, cluster: clusterOf([h]), benchmark: DEFAULT_BENCHMARK })[0]!;
    };

    it('is N/A for etcd controls when k3s keeps its data in kine, whatever the roles say', () => {
      expect(evaluate(clientCertAuth, k3s('kine'))).toMatchObject({
        status: 'NOT_APPLICABLE',
        actual: 'no etcd (k3s with kine)',
        reason: 'k3s on this host keeps its data in kine (sqlite or an external database): there is no etcd here',
      });
    });

    it('is ERROR, never N/A, when the datastore cannot be told, or is etcd and no etcd was found', () => {
      expect(evaluate(clientCertAuth, k3s('unknown'))).toMatchObject({ status: 'ERROR', actual: 'etcd unknown', reason: datastores.unknown.reason });
      expect(evaluate(clientCertAuth, k3s('etcd'))).toMatchObject({
        status: 'ERROR',
        actual: 'etcd not found',
        reason: `${datastores.etcd.reason}, but neither its etcd process nor its manifest was found`,
      });
    });

    it.each(['etcd', 'kine'] as const)('is N/A for kube-apiserver flags, embedded in k3s (datastore %s)', (datastore) => {
      expect(evaluate(apiserverCafile, k3s(datastore))).toMatchObject({
        status: 'NOT_APPLICABLE',
        actual: 'kube-apiserver embedded in k3s',
        reason: 'kube-apiserver is embedded in the k3s server process (pid 42), which sets its etcd client TLS itself; there are no apiserver flags to check',
      });
    });
  });
});

describe('evaluateHost: controls for clusters of more than one member', () => {
  const peerCerts = rule({ type: 'flags-set', settings: ['peer-cert-file', 'peer-key-file'] }, { appliesTo: 'multi-member' });
  const member = (name: string, processes: ProcessInfo[] = []): HostInput => ({ target: target(name), snapshot: snapshot({ processes }) });
  const alone = etcd(['--name=h', '--initial-cluster=h=https://h:2380']);

  it('is N/A on a cluster every source says has one member, and says which sources', () => {
    expect(judgeOne(peerCerts, member('h', [alone]))).toMatchObject({
      status: 'NOT_APPLICABLE',
      actual: 'single-member etcd cluster',
      reason: `applies only to etcd clusters of more than one member; cluster c has one (1 etcd host in the inventory; initial-cluster lists 1 member (h)${NO_LIVE_LIST})`,
      evidence: [],
    });
  });

  const rows: { name: string; host: HostInput; others?: HostInput[] }[] = [
    { name: 'the inventory lists three etcd hosts', host: member('h', [alone]), others: [member('h2'), member('h3')] },
    { name: 'initial-cluster lists two members', host: member('h', [etcd(['--name=h', '--initial-cluster=h=https://h:2380,h2=https://h2:2380'])]) },
    {
      name: 'the live member list shows two members',
      host: {
        target: target('h'),
        snapshot: snapshot({
          processes: [alone],
          memberList: {
            ok: true,
            members: [
              { name: 'h', peerUrls: ['https://h:2380'] },
              { name: 'h2', peerUrls: ['https://h2:2380'] },
            ],
          },
        }),
      },
    },
  ];

  it.each(rows)('is judged when $name', ({ host: h, others }) => {
    const finding = judgeOne(peerCerts, h, others ? { others } : {});
    expect(finding.status).toBe('FAIL');
    expect(finding.actual).toBe('--peer-cert-file not set, --peer-key-file not set');
  });

  it('is judged when initial-cluster could not be read: one member is not established', () => {
    const unreadable: HostInput = { target: target('h'), snapshot: snapshot({ processes: [etcd(['--name=h'])], environ: {}, privilege: 'unprivileged' }) };
    const finding = judgeOne(peerCerts, unreadable);
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toMatch(/^cannot tell whether --peer-cert-file is set: the ETCD_\* environment of pid 100 could not be read/);
  });
});

describe('evaluateHost: the running process against what its next restart runs', () => {
  const rows: { name: string; rule: Rule; running: string[]; onDisk: string[]; status: Status; actual: string }[] = [
    {
      name: 'running passes, the manifest fails',
      rule: noAutoTls,
      running: ['--auto-tls=false'],
      onDisk: ['--auto-tls=true'],
      status: 'WARN',
      actual: 'running: --auto-tls=false; on disk: --auto-tls=true',
    },
    {
      name: 'running fails, the manifest is fixed',
      rule: clientCertAuth,
      running: [],
      onDisk: ['--client-cert-auth=true'],
      status: 'FAIL',
      actual: 'running: --client-cert-auth not set; on disk: --client-cert-auth=true',
    },
    {
      name: 'both pass with other values',
      rule: certAndKey,
      running: ['--cert-file=/a.crt', '--key-file=/a.key'],
      onDisk: ['--cert-file=/b.crt', '--key-file=/a.key'],
      status: 'WARN',
      actual: 'running: --cert-file=/a.crt, --key-file=/a.key; on disk: --cert-file=/b.crt, --key-file=/a.key',
    },
    {
      name: 'both fail alike',
      rule: clientCertAuth,
      running: ['--client-cert-auth=false'],
      onDisk: ['--client-cert-auth=false'],
      status: 'FAIL',
      actual: '--client-cert-auth=false',
    },
    {
      name: 'both mean the same, spelled differently',
      rule: clientCertAuth,
      running: ['--client-cert-auth=true'],
      onDisk: ['--client-cert-auth'],
      status: 'PASS',
      actual: '--client-cert-auth=true',
    },
  ];

  it.each(rows)('$name: $status', ({ rule: r, running, onDisk, status, actual }) => {
    const finding = judgeOne(r, host([etcd(running)], [etcdManifest(onDisk)]));
    expect({ status: finding.status, actual: finding.actual }).toEqual({ status, actual });
  });

  it('gives both sides in the reason, the manifest with its line', () => {
    const finding = judgeOne(noAutoTls, host([etcd(['--auto-tls=false'])], [etcdManifest(['--auto-tls=true'])]));
    expect(finding.reason).toBe(
      'running etcd process 100: --auto-tls is false (--auto-tls=false in process 100 command line); ' +
        `etcd manifest ${MANIFEST} (what a restart runs) differs: --auto-tls is true (--auto-tls=true in ${MANIFEST} line 14); ` +
        'but etcd ignores it while --cert-file or --key-file is given ("ignoring client auto TLS since certs given", embed/config.go ClientSelfCert); ' +
        'it takes over as soon as they are removed',
    );
    expect(finding.evidence).toEqual([
      { source: 'process 100 command line', key: '--auto-tls', value: 'false' },
      { source: `${MANIFEST} line 14`, key: '--auto-tls', value: 'true' },
    ]);
  });

  it('keeps the evidence of both when they agree', () => {
    const finding = judgeOne(clientCertAuth, host([etcd(['--client-cert-auth=true'])], [etcdManifest(['--client-cert-auth=true'])]));
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.map((e) => e.source)).toEqual(['process 100 command line', `${MANIFEST} line 14`]);
  });

  it('claims no drift when the running side cannot be judged', () => {
    const h: HostInput = {
      target: target('h'),
      snapshot: snapshot({ processes: [etcd([])], files: [etcdManifest(['--client-cert-auth=true'])], environ: {} }),
    };
    const finding = judgeOne(clientCertAuth, h);
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toBe(`cannot tell whether --client-cert-auth is set: the ETCD_* environment of pid 100 could not be read${TRUSTED_CA_ALONE}`);
  });

  it('judges the manifest alone when etcd does not run, and says so', () => {
    const finding = judgeOne(clientCertAuth, host([], [etcdManifest(['--client-cert-auth=false'])]));
    expect(finding).toMatchObject({
      status: 'FAIL',
      reason: `etcd is not running; etcd manifest ${MANIFEST} says: --client-cert-auth is false (--client-cert-auth=false in ${MANIFEST} line 14)${TRUSTED_CA_ALONE}`,
    });
  });

  it("reads the manifest as the kubelet expands it: $(VAR) from the container's env, unknown from valueFrom", () => {
    const pod = (env: string) =>
      file(MANIFEST, {
        content: staticPod({ command: withClientTls(['etcd', '--name=h', '--client-cert-auth=$(CCA)']) }).replace(/^( {4}command:)/m, `${env}\n$1`),
      });
    const known = judgeOne(clientCertAuth, host([], [pod('    env: [{ name: CCA, value: "true" }]')]));
    expect(known).toMatchObject({ status: 'PASS', actual: '--client-cert-auth=true' });
    const fromSecret = '    env: [{ name: CCA, valueFrom: { secretKeyRef: { name: e, key: k } } }]';
    const unknown = judgeOne(clientCertAuth, host([], [pod(fromSecret)]));
    expect(unknown).toMatchObject({ status: 'ERROR', actual: '--client-cert-auth unknown' });
    // In a shell string too: the shell would get the value the kubelet put there.
    const inShell = file(MANIFEST, {
      content: staticPod({ command: ['sh', '-c', `exec ${withClientTls(['etcd', '--name=h', '--client-cert-auth=$(CCA)']).join(' ')}`] }).replace(
        /^( {4}command:)/m,
        `${fromSecret}\n$1`,
      ),
    });
    expect(judgeOne(clientCertAuth, host([], [inShell]))).toMatchObject({ status: 'ERROR', actual: '--client-cert-auth unknown' });
  });

  it('says the running process was not compared when its manifest could not be read', () => {
    const finding = judgeOne(clientCertAuth, host([etcd(['--client-cert-auth=true'])], [file(MANIFEST, { unreadable: 'not readable by audit' })]));
    expect(finding.status).toBe('PASS');
    expect(finding.reason).toBe(
      `--client-cert-auth is true (--client-cert-auth=true in process 100 command line); ${MANIFEST} could not be read (not readable by audit), so the running process was not compared with it`,
    );
  });
});

describe('evaluateHost: several instances of a component on one host', () => {
  it('takes the most urgent verdict and labels each instance', () => {
    const finding = judgeOne(clientCertAuth, host([etcd(['--client-cert-auth=true']), etcd(['--client-cert-auth=false'], { pid: 101 })]));
    expect(finding).toMatchObject({
      status: 'FAIL',
      actual: 'pid 100: --client-cert-auth=true; pid 101: --client-cert-auth=false',
      reason:
        '2 etcd instances: [pid 100] --client-cert-auth is true (--client-cert-auth=true in process 100 command line) ' +
        `[pid 101] --client-cert-auth is false (--client-cert-auth=false in process 101 command line)${TRUSTED_CA_ALONE}`,
    });
    expect(finding.evidence).toHaveLength(2);
  });

  it('labels an instance known only by its manifest with the manifest', () => {
    const other = file('/etc/kubernetes/manifests/etcd-b.yaml', { content: staticPod({ command: ['etcd', '--name=b', '--client-cert-auth=false'] }) });
    const finding = judgeOne(
      clientCertAuth,
      host([etcd(['--name=a', '--client-cert-auth=true'])], [etcdManifest(['--name=a', '--client-cert-auth=true']), other]),
    );
    expect(finding.status).toBe('FAIL');
    expect(finding.actual).toBe('pid 100: --client-cert-auth=true; /etc/kubernetes/manifests/etcd-b.yaml: --client-cert-auth=false');
  });
});

describe('evaluateHost: settings that cannot be known are ERROR, with the reason', () => {
  const rows: { name: string; process: ProcessInfo; environ?: Record<number, Record<string, string>>; reason: string }[] = [
    {
      name: 'an environment root could not read',
      process: etcd([]),
      environ: {},
      reason: 'cannot tell whether --client-cert-auth is set: the ETCD_* environment of pid 100 could not be read',
    },
    {
      name: 'a command substitution, which may be any flags, for kube-apiserver too',
      process: proc(['/bin/sh', '-c', 'exec kube-apiserver --etcd-cafile=/ca $(cat /etc/kubernetes/apiserver.flags)'], { pid: 200 }),
      reason:
        'cannot tell whether --etcd-cafile is set: --etcd-cafile=/ca (process 200 command line, inside its "sh -c" string) ' +
        'comes before $(cat /etc/kubernetes/apiserver.flags), which may set it again',
    },
    {
      name: 'a positional parameter',
      process: proc(['/bin/sh', '-c', 'exec etcd --client-cert-auth=true "$@"', 'sh']),
      reason:
        'cannot tell whether --client-cert-auth is set: --client-cert-auth=true (process 100 command line, inside its "sh -c" string) comes before $@, which may set it again',
    },
    {
      name: 'a quoted substitution as the value',
      process: proc(['/bin/sh', '-c', 'exec etcd --client-cert-auth="$(cat /x)"']),
      reason:
        'cannot tell whether --client-cert-auth is set: --client-cert-auth takes its value from --client-cert-auth=$(cat /x) (process 100 command line, inside its "sh -c" string), an expansion fleetbench cannot perform',
    },
    {
      name: 'an unexpanded variable in a shell string',
      process: proc(['/bin/sh', '-c', 'exec etcd --name=a ${EXTRA_ARGS}']),
      reason: 'cannot tell whether --client-cert-auth is set: the command passes ${EXTRA_ARGS} unexpanded, which may set further flags',
    },
  ];

  it.each(rows)('$name', ({ process, environ, reason }) => {
    const r = process.pid === 200 ? apiserverCafile : clientCertAuth;
    const finding = judgeOne(r, { target: target('h'), snapshot: snapshot({ processes: [process], ...(environ ? { environ } : {}) }) });
    expect(finding).toMatchObject({ status: 'ERROR', actual: `--${r.check.settings[0]!} unknown` });
    expect(finding.reason.startsWith(reason)).toBe(true);
  });

  it('tells an unprivileged scan how to read the environment', () => {
    const h: HostInput = { target: target('h'), snapshot: snapshot({ processes: [etcd([])], environ: {}, privilege: 'unprivileged' }) };
    expect(judgeOne(clientCertAuth, h).reason).toBe(
      `cannot tell whether --client-cert-auth is set: the ETCD_* environment of pid 100 could not be read (reading it needs root: scan with --become, or set become in the inventory)${TRUSTED_CA_ALONE}`,
    );
  });

  it('still judges a flag given on the command line, and says what the unread environment could add', () => {
    const h: HostInput = { target: target('h'), snapshot: snapshot({ processes: [etcd(['--client-cert-auth=true'])], environ: {} }) };
    expect(judgeOne(clientCertAuth, h)).toMatchObject({
      status: 'WARN',
      reason:
        '--client-cert-auth is true (--client-cert-auth=true in process 100 command line); ' +
        'but cannot tell whether etcd also serves clients without TLS: the ETCD_* environment of pid 100 could not be read',
    });
  });
});

describe('evaluateHost: a command line the component cannot start with', () => {
  // etcdmain/config.go parse refuses a word left over after Go's flag package stops ("'%s' is not a
  // valid flag"); cobra's Args of NewAPIServerCommand refuses positional words. What a restart runs
  // so written is WARN at best; a running process read so cannot have started that way: ERROR.
  const apiserverManifest = (flags: string[]) =>
    file('/etc/kubernetes/manifests/kube-apiserver.yaml', { content: staticPod({ command: ['kube-apiserver', ...flags] }) });
  const rows: { name: string; rule: Rule; processes: ProcessInfo[]; files: FileFact[]; status: Status; reason: RegExp }[] = [
    {
      name: 'a manifest with a stray word before the flag',
      rule: clientCertAuth,
      processes: [],
      files: [etcdManifest(['stray', '--client-cert-auth=true'])],
      status: 'WARN',
      reason: /--client-cert-auth is true .*; etcd refuses to start: "stray" \(\/etc\/kubernetes\/manifests\/etcd.yaml line 14\) is not a flag/,
    },
    {
      name: 'a manifest with words after --',
      rule: clientCertAuth,
      processes: [],
      files: [etcdManifest(['--', '--client-cert-auth=true'])],
      // Go's flag package reads nothing after "--": the flag is not set, and etcd would not start.
      status: 'FAIL',
      reason: /--client-cert-auth is not set .*etcd refuses to start: "--client-cert-auth=true" .* is not a flag/,
    },
    {
      name: 'a running etcd with a stray word',
      rule: clientCertAuth,
      processes: [etcd(['stray', '--client-cert-auth=true'])],
      files: [],
      status: 'ERROR',
      reason:
        /^what was read of etcd process 100 cannot be what it runs with, since it would refuse to start: "stray" \(process 100 command line\) is not a flag.*; as read: --client-cert-auth is true/,
    },
    {
      name: 'a running etcd with a spaced boolean',
      rule: clientCertAuth,
      processes: [etcd(['--client-cert-auth', 'true'])],
      files: [],
      status: 'ERROR',
      reason: /^what was read of etcd process 100 cannot be what it runs with, since etcd does not accept a space between a boolean flag/,
    },
    {
      name: 'a running etcd that passes beside a manifest with a stray word: drift',
      rule: clientCertAuth,
      processes: [etcd(['--client-cert-auth=true'])],
      files: [etcdManifest(['stray', '--client-cert-auth=true'])],
      status: 'WARN',
      reason: /\(what a restart runs\) differs: .*etcd refuses to start: "stray"/,
    },
    {
      name: 'a kube-apiserver manifest with a stray word',
      rule: apiserverCafile,
      processes: [],
      files: [apiserverManifest(['stray', '--etcd-cafile=/ca'])],
      status: 'WARN',
      reason: /--etcd-cafile is set .*; kube-apiserver refuses to start: "stray" .* is not a flag, and it takes no other arguments/,
    },
    {
      name: 'a running kube-apiserver with a stray word',
      rule: apiserverCafile,
      processes: [apiserver(['--etcd-cafile=/ca', 'stray'])],
      files: [],
      status: 'ERROR',
      reason: /^what was read of kube-apiserver process 200 cannot be what it runs with/,
    },
    {
      name: 'a kube-apiserver manifest with an empty word, which cobra lets through',
      rule: apiserverCafile,
      processes: [],
      files: [apiserverManifest(['', '--etcd-cafile=/ca'])],
      status: 'PASS',
      reason: /^kube-apiserver is not running; .*--etcd-cafile is set/,
    },
  ];

  it.each(rows)('$name: $status', ({ rule: r, processes, files, status, reason }) => {
    const finding = judgeOne(r, host(processes, files));
    expect(finding.status).toBe(status);
    expect(finding.reason).toMatch(reason);
  });
});

describe('evaluateHost: an ETCD_* variable beside the flag it stands for', () => {
  // pkg/flags/flag.go verifyEnv: etcd 3.4 and later exit ("conflicting environment variable is
  // shadowed by corresponding command-line flag", v3.4.45 L83-85, v3.5.33 L83-90); 3.3 only warns
  // and lets the flag win (v3.3.27 L121-124).
  const shadowing = (flags: string[]) =>
    file(MANIFEST, { content: staticPod({ command: withClientTls(['etcd', ...flags]), env: { ETCD_CLIENT_CERT_AUTH: 'true' } }) });
  const rows: { name: string; processes: ProcessInfo[]; environ?: Record<number, Record<string, string>>; status: Status; reason: RegExp }[] = [
    {
      name: 'in a manifest that does not run: a restart would not start on 3.4 and later',
      processes: [],
      status: 'WARN',
      reason:
        /--client-cert-auth is true .*; etcd 3\.4 and later refuse to start when both ETCD_CLIENT_CERT_AUTH \(\/etc\/kubernetes\/manifests\/etcd.yaml line 16 \(env of container main\)\) and --client-cert-auth are given/,
    },
    {
      name: 'in a manifest whose running etcd has the pair too: it lets the flag win, and so will its restart',
      processes: [etcd(['--client-cert-auth=true'])],
      environ: { 100: { ETCD_CLIENT_CERT_AUTH: 'true' } },
      status: 'PASS',
      reason: /^--client-cert-auth is true .*etcd 3\.3 and older let the flag win/,
    },
    {
      name: 'in a manifest whose running etcd has no such variable: drift',
      processes: [etcd(['--client-cert-auth=true'])],
      status: 'WARN',
      reason: /\(what a restart runs\) differs: .*refuse to start when both ETCD_CLIENT_CERT_AUTH/,
    },
  ];

  it.each(rows)('$name: $status', ({ processes, environ, status, reason }) => {
    const finding = judgeOne(clientCertAuth, {
      target: target('h'),
      snapshot: snapshot({ processes, files: [shadowing(['--client-cert-auth=true'])], ...(environ ? { environ } : {}) }),
    });
    expect(finding.status).toBe(status);
    expect(finding.reason).toMatch(reason);
  });
});

describe('evaluateHost: an empty ETCD_* variable', () => {
  // pkg/flags/flag.go setFlagFromEnv (v3.3.27 L140, v3.4.45 L100, v3.5.33, v3.6.14): `if val != ""`:
  // an empty variable sets nothing, and etcd starts with the default.
  it('leaves the default, and shows the variable as not in effect', () => {
    const finding = judgeOne(clientCertAuth, {
      target: target('h'),
      snapshot: snapshot({ processes: [etcd([])], environ: { 100: { ETCD_CLIENT_CERT_AUTH: '' } } }),
    });
    expect(finding.status).toBe('FAIL');
    expect(finding.reason).toMatch(
      /^--client-cert-auth is not set \(etcd defaults to false\); not in effect: ETCD_CLIENT_CERT_AUTH= \(environment of pid 100, empty: etcd skips it and keeps its default/,
    );
  });
});

describe('unscannedFindings', () => {
  it('is one ERROR per rule, with the reason the host was not scanned', () => {
    expect(unscannedFindings([clientCertAuth, dataDirMode], target('h'), 'connection refused', DEFAULT_BENCHMARK)).toEqual(
      [clientCertAuth, dataDirMode].map((r, i) => ({
        host: 'h',
        cluster: 'c',
        ruleId: r.id,
        control: '9.9',
        title: r.title,
        expected: ['--client-cert-auth=true', 'mode 0700 or stricter'][i],
        remediation: r.remediation,
        status: 'ERROR',
        reason: 'host not scanned: connection refused',
        actual: 'not scanned',
        evidence: [],
      })),
    );
  });

  it('numbers a shipped control as the chosen benchmark does', async () => {
    const rules = (await loadRules()).filter((r) => r.id === 'apiserver-etcd-certfile');
    const control = (benchmark: BenchmarkVersion) => unscannedFindings(rules, target('h'), 'timeout', benchmark)[0]?.control;
    expect([control('1.5'), control('1.8'), control('1.12')]).toEqual(['1.2.29', '1.2.24', '1.2.23']);
  });
});

describe("a finding's expected text, per check kind", () => {
  const modes = { '1.5': 0o644, '1.12': 0o600 };
  const rows: { rule: Rule; benchmark?: BenchmarkVersion; expected: string }[] = [
    { rule: clientCertAuth, expected: '--client-cert-auth=true' },
    {
      rule: rule({ type: 'flag-true', settings: ['client-cert-auth', 'peer-client-cert-auth'] }),
      expected: '--client-cert-auth=true and --peer-client-cert-auth=true',
    },
    { rule: noAutoTls, expected: '--auto-tls absent or false' },
    {
      rule: rule({ type: 'flag-not-true', settings: ['auto-tls', 'peer-auto-tls'] }),
      expected: '--auto-tls absent or false and --peer-auto-tls absent or false',
    },
    { rule: certAndKey, expected: '--cert-file and --key-file set' },
    { rule: rule({ type: 'file-mode', file: 'etcd-manifest', maxMode: modes }), benchmark: '1.5', expected: 'mode 0644 or stricter' },
    { rule: rule({ type: 'file-mode', file: 'etcd-manifest', maxMode: modes }), benchmark: '1.12', expected: 'mode 0600 or stricter' },
    { rule: rule({ type: 'file-owner', file: 'etcd-data-dir', owners: ['etcd:etcd', 'root:root'] }), expected: 'owned by etcd:etcd or root:root' },
    { rule: uniqueCa, expected: "etcd's --trusted-ca-file distinct from kube-apiserver's --client-ca-file" },
    { rule: membership, expected: 'the inventory lists exactly the members of the etcd cluster' },
  ];

  it.each(rows)('$rule.check.type: $expected', ({ rule: r, benchmark, expected }) => {
    expect(unscannedFindings([r], target('h'), 'x', benchmark ?? DEFAULT_BENCHMARK)[0]?.expected).toBe(expected);
    expect(judgeOne(r, host([etcd([])]), benchmark ? { benchmark } : {}).expected).toBe(expected);
  });
});
