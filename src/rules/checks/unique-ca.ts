import type { Evidence } from '../../model.js';
import type { CertificateIdentity } from '../certificates.js';
import { certificateIdentities, sharesCa } from '../certificates.js';
import { hostPath, lookup } from '../../effective/host-components.js';
import type { CheckInput, Verdict } from './verdict.js';

// 2.7: etcd must trust its own CA, not the one the cluster uses for clients; otherwise any client
// certificate the Kubernetes CA signed (every kubelet's, every user's) also opens etcd. CIS calls
// this manual; fleetbench compares etcd's --trusted-ca-file with every kube-apiserver's
// --client-ca-file in the cluster, by path on the same host and by certificate and key.

export function checkUniqueCa({ config, instance, snapshot, host, cluster }: CheckInput): Verdict {
  const found = lookup(config, 'trusted-ca-file');
  if (found.state === 'unknown') {
    return {
      status: 'ERROR',
      reason: `cannot tell etcd's trusted CA: ${found.reason}`,
      evidence: found.searched,
      actual: 'unknown',
      values: 'trusted-ca-file=?',
    };
  }
  if (found.state === 'unset') {
    return {
      status: 'WARN',
      reason:
        'etcd has no --trusted-ca-file, so there is no etcd CA to compare with the cluster CA (without one, client certificates are not verified: see 2.2)',
      evidence: found.searched,
      actual: '--trusted-ca-file not set',
      values: 'trusted-ca-file=<unset>',
    };
  }
  const path = hostPath(found.setting.value, instance);
  const file = snapshot.files[path];
  const etcdCerts = file?.content !== undefined ? certificateIdentities(file.content) : undefined;
  const evidence: Evidence[] = [
    found.setting.evidence,
    caEvidence(path, etcdCerts, file?.unreadable ?? (file?.exists === false ? 'does not exist' : undefined)),
  ];
  const values = `trusted-ca-file=${path}`;

  if (cluster.apiserverClientCas.length === 0) {
    return {
      status: 'WARN',
      reason: `no kube-apiserver --client-ca-file was found in cluster ${cluster.name} to compare etcd's CA (${path}) with; review by hand`,
      evidence,
      actual: `etcd CA ${path}`,
      values,
    };
  }

  const undecided: string[] = [];
  const distinct: string[] = [];
  for (const ca of cluster.apiserverClientCas) {
    evidence.push({ ...ca.evidence, key: `--client-ca-file (kube-apiserver on ${ca.host})` }, caEvidence(ca.path, ca.certificates, ca.unreadable, ca.host));
    if (ca.host === host && ca.path === path) {
      return {
        status: 'FAIL',
        reason: `etcd trusts ${path}, the same file kube-apiserver uses as its --client-ca-file: any client certificate of the cluster CA is accepted by etcd`,
        evidence,
        actual: 'same CA file as kube-apiserver',
        values,
      };
    }
    if (etcdCerts?.length && ca.certificates?.length) {
      const shared = sharesCa(etcdCerts, ca.certificates);
      if (shared) {
        return {
          status: 'FAIL',
          reason: `etcd's CA ${path} and kube-apiserver's --client-ca-file ${ca.path} on ${ca.host} hold the same CA (${shared.subject}, ${shared.fingerprint})`,
          evidence,
          actual: 'same CA as kube-apiserver',
          values,
        };
      }
      distinct.push(`${ca.host}:${ca.path}`);
    } else {
      undecided.push(`${ca.host}:${ca.path} (${!ca.certificates ? ca.unreadable : 'no certificate in it'})`);
    }
  }
  if (!etcdCerts?.length) {
    return {
      status: 'WARN',
      reason: `etcd's CA ${path} could not be read (${file?.unreadable ?? (file ? 'no certificate in it' : 'not collected')}), so it cannot be compared with the cluster CA; review by hand`,
      evidence,
      actual: 'undecidable',
      values,
    };
  }
  if (undecided.length > 0) {
    return {
      status: 'WARN',
      reason: `${distinct.length ? `etcd's CA ${path} differs from ${distinct.join(', ')}, but` : `etcd's CA ${path}`} cannot be compared with ${undecided.join(', ')}; review by hand`,
      evidence,
      actual: 'undecidable',
      values,
    };
  }
  return {
    status: 'PASS',
    reason: `etcd's CA ${path} (${etcdCerts.map((c) => c.subject).join('; ')}) is distinct from the cluster client CA in ${distinct.join(', ')}`,
    evidence,
    actual: 'distinct CA',
    values,
  };
}

function caEvidence(path: string, certs: CertificateIdentity[] | undefined, unreadable: string | undefined, host?: string): Evidence {
  return {
    source: `certificates in ${path}${host ? ` on ${host}` : ''}`,
    value: certs?.length ? certs.map((c) => `${c.subject} ${c.fingerprint}`).join('; ') : `not compared: ${unreadable ?? 'no certificate found'}`,
  };
}
