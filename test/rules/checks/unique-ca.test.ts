import { describe, expect, it } from 'vitest';
import type { FileFact, ProcessInfo, Status } from '../../../src/model.js';
import { certificateIdentities } from '../../../src/rules/certificates.js';
import { checkUniqueCa } from '../../../src/rules/checks/unique-ca.js';
import { certificate, file, missing, proc, snapshot, staticPod } from '../../support/host-snapshot.js';
import type { HostInput } from '../../support/judge.js';
import { checkInput, rule, target } from '../../support/judge.js';

// 2.7: etcd's --trusted-ca-file against every kube-apiserver's --client-ca-file of the cluster,
// by path on the same host, then by certificate and by key; what cannot be compared is WARN.

const uniqueCa = rule({ type: 'unique-ca' });
const etcd = (flags: string[]) => proc(['etcd', ...flags]);
const apiserver = (caFile: string) => proc(['kube-apiserver', `--client-ca-file=${caFile}`], { pid: 200 });
const ca = (path: string, name: 'etcd-ca' | 'kube-ca' | 'kube-ca-reissued') => file(path, { mode: 0o644, content: certificate(name) });
const ETCD_CA = ca('/etc/kubernetes/pki/etcd/ca.crt', 'etcd-ca');
const KUBE_CA = ca('/etc/kubernetes/pki/ca.crt', 'kube-ca');
const trusting = (path: string) => etcd([`--trusted-ca-file=${path}`]);
const fingerprint = (name: 'etcd-ca' | 'kube-ca') => certificateIdentities(certificate(name))[0]!.fingerprint;

function verdict(processes: ProcessInfo[], files: FileFact[], others: HostInput[] = []) {
  return checkUniqueCa(checkInput(uniqueCa, { target: target('a'), snapshot: snapshot({ processes, files }) }, { others }));
}
const apiserverHost = (name: string, caFile: string, files: FileFact[]): HostInput => ({
  target: target(name, { roles: ['control-plane'] }),
  snapshot: snapshot({ processes: [apiserver(caFile)], files }),
});

describe('unique-ca', () => {
  const rows: { name: string; processes: ProcessInfo[]; files: FileFact[]; others?: HostInput[]; status: Status; reason: string }[] = [
    {
      name: 'the same file as kube-apiserver on the host',
      processes: [trusting('/etc/kubernetes/pki/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [KUBE_CA],
      status: 'FAIL',
      reason:
        'etcd trusts /etc/kubernetes/pki/ca.crt, the same file kube-apiserver uses as its --client-ca-file: any client certificate of the cluster CA is accepted by etcd',
    },
    {
      name: 'the same certificate in another file',
      processes: [trusting('/etc/etcd/ca.pem'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [ca('/etc/etcd/ca.pem', 'kube-ca'), KUBE_CA],
      status: 'FAIL',
      reason: `etcd's CA /etc/etcd/ca.pem and kube-apiserver's --client-ca-file /etc/kubernetes/pki/ca.crt on a hold the same CA (CN=kubernetes, ${fingerprint('kube-ca')})`,
    },
    {
      name: 'a CA re-issued with the same key',
      processes: [trusting('/etc/etcd/ca.pem'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [ca('/etc/etcd/ca.pem', 'kube-ca-reissued'), KUBE_CA],
      status: 'FAIL',
      reason: `etcd's CA /etc/etcd/ca.pem and kube-apiserver's --client-ca-file /etc/kubernetes/pki/ca.crt on a hold the same CA (CN=kubernetes, ${certificateIdentities(certificate('kube-ca-reissued'))[0]!.fingerprint})`,
    },
    {
      name: 'a bundle that also holds the cluster CA',
      processes: [trusting('/etc/etcd/bundle.pem'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [file('/etc/etcd/bundle.pem', { content: certificate('etcd-ca') + certificate('kube-ca') }), KUBE_CA],
      status: 'FAIL',
      reason: `etcd's CA /etc/etcd/bundle.pem and kube-apiserver's --client-ca-file /etc/kubernetes/pki/ca.crt on a hold the same CA (CN=kubernetes, ${fingerprint('kube-ca')})`,
    },
    {
      name: 'the cluster CA of a kube-apiserver on another host',
      processes: [trusting('/etc/etcd/ca.pem')],
      files: [ca('/etc/etcd/ca.pem', 'kube-ca')],
      others: [apiserverHost('b', '/etc/kubernetes/pki/ca.crt', [KUBE_CA])],
      status: 'FAIL',
      reason: `etcd's CA /etc/etcd/ca.pem and kube-apiserver's --client-ca-file /etc/kubernetes/pki/ca.crt on b hold the same CA (CN=kubernetes, ${fingerprint('kube-ca')})`,
    },
    {
      name: 'a distinct CA',
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [ETCD_CA, KUBE_CA],
      status: 'PASS',
      reason: "etcd's CA /etc/kubernetes/pki/etcd/ca.crt (CN=etcd-ca) is distinct from the cluster client CA in a:/etc/kubernetes/pki/ca.crt",
    },
    {
      name: 'the same path on another host, holding another CA',
      processes: [trusting('/etc/kubernetes/pki/ca.crt')],
      files: [ca('/etc/kubernetes/pki/ca.crt', 'etcd-ca')],
      others: [apiserverHost('b', '/etc/kubernetes/pki/ca.crt', [KUBE_CA])],
      status: 'PASS',
      reason: "etcd's CA /etc/kubernetes/pki/ca.crt (CN=etcd-ca) is distinct from the cluster client CA in b:/etc/kubernetes/pki/ca.crt",
    },
    {
      name: "etcd's CA unreadable",
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [file('/etc/kubernetes/pki/etcd/ca.crt', { unreadable: 'not readable by audit' }), KUBE_CA],
      status: 'WARN',
      reason:
        "etcd's CA /etc/kubernetes/pki/etcd/ca.crt could not be read (not readable by audit), so it cannot be compared with the cluster CA; review by hand",
    },
    {
      name: "etcd's CA holds no certificate",
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [file('/etc/kubernetes/pki/etcd/ca.crt', { content: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' }), KUBE_CA],
      status: 'WARN',
      reason:
        "etcd's CA /etc/kubernetes/pki/etcd/ca.crt could not be read (no certificate in it), so it cannot be compared with the cluster CA; review by hand",
    },
    {
      name: "etcd's CA not collected",
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [KUBE_CA],
      status: 'WARN',
      reason: "etcd's CA /etc/kubernetes/pki/etcd/ca.crt could not be read (not collected), so it cannot be compared with the cluster CA; review by hand",
    },
    {
      name: "the apiserver's CA missing",
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [ETCD_CA, missing('/etc/kubernetes/pki/ca.crt')],
      status: 'WARN',
      reason: "etcd's CA /etc/kubernetes/pki/etcd/ca.crt cannot be compared with a:/etc/kubernetes/pki/ca.crt (does not exist); review by hand",
    },
    {
      name: 'one apiserver CA distinct, another unreadable',
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [ETCD_CA, KUBE_CA],
      others: [apiserverHost('b', '/etc/kubernetes/pki/ca.crt', [file('/etc/kubernetes/pki/ca.crt', { unreadable: 'not readable by audit' })])],
      status: 'WARN',
      reason:
        "etcd's CA /etc/kubernetes/pki/etcd/ca.crt differs from a:/etc/kubernetes/pki/ca.crt, but cannot be compared with b:/etc/kubernetes/pki/ca.crt (not readable by audit); review by hand",
    },
    {
      name: 'no kube-apiserver in the cluster',
      processes: [trusting('/etc/kubernetes/pki/etcd/ca.crt')],
      files: [ETCD_CA],
      status: 'WARN',
      reason: "no kube-apiserver --client-ca-file was found in cluster c to compare etcd's CA (/etc/kubernetes/pki/etcd/ca.crt) with; review by hand",
    },
    {
      name: 'no --trusted-ca-file',
      processes: [etcd([]), apiserver('/etc/kubernetes/pki/ca.crt')],
      files: [KUBE_CA],
      status: 'WARN',
      reason:
        'etcd has no --trusted-ca-file, so there is no etcd CA to compare with the cluster CA (without one, client certificates are not verified: see 2.2)',
    },
  ];

  it.each(rows)('$name: $status', ({ processes, files, others, status, reason }) => {
    expect(verdict(processes, files, others)).toMatchObject({ status, reason });
  });

  it('is ERROR when the trusted CA cannot be known', () => {
    const input = checkInput(uniqueCa, { target: target('a'), snapshot: snapshot({ processes: [etcd([])], environ: {} }) });
    expect(checkUniqueCa(input)).toMatchObject({
      status: 'ERROR',
      reason: "cannot tell etcd's trusted CA: the ETCD_* environment of pid 100 could not be read",
      values: 'trusted-ca-file=?',
    });
  });

  it('finds both files on the host through the hostPath mounts of the manifests', () => {
    const etcdPod = file('/etc/kubernetes/manifests/etcd.yaml', {
      content: staticPod({ command: ['etcd', '--trusted-ca-file=/certs/ca.crt'], mounts: { '/certs': '/etc/kubernetes/pki' } }),
    });
    const v = verdict([trusting('/certs/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')], [etcdPod, KUBE_CA]);
    expect(v).toMatchObject({ status: 'FAIL', actual: 'same CA file as kube-apiserver', values: 'trusted-ca-file=/etc/kubernetes/pki/ca.crt' });
  });

  it('gives the certificates of both sides as evidence', () => {
    const v = verdict([trusting('/etc/kubernetes/pki/etcd/ca.crt'), apiserver('/etc/kubernetes/pki/ca.crt')], [ETCD_CA, KUBE_CA]);
    expect(v.evidence).toEqual([
      { source: 'process 100 command line', key: '--trusted-ca-file', value: '/etc/kubernetes/pki/etcd/ca.crt' },
      { source: 'certificates in /etc/kubernetes/pki/etcd/ca.crt', value: `CN=etcd-ca ${fingerprint('etcd-ca')}` },
      { source: 'process 200 command line', key: '--client-ca-file (kube-apiserver on a)', value: '/etc/kubernetes/pki/ca.crt' },
      { source: 'certificates in /etc/kubernetes/pki/ca.crt on a', value: `CN=kubernetes ${fingerprint('kube-ca')}` },
    ]);
  });
});
