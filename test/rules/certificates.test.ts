import { describe, expect, it } from 'vitest';
import { certificateIdentities, sharesCa } from '../../src/rules/certificates.js';
import { certificate } from '../support/host-snapshot.js';

// Two CA files hold the same CA when they share a certificate or a public key
// (fixtures/certificates/: kube-ca-reissued is kube-ca's key in a new certificate).

const ids = (name: 'etcd-ca' | 'kube-ca' | 'kube-ca-reissued') => certificateIdentities(certificate(name));

describe('certificateIdentities', () => {
  it('gives subject, certificate fingerprint and key hash of each certificate of a PEM file', () => {
    const [etcd] = ids('etcd-ca');
    // As `openssl x509 -fingerprint -sha256` and `openssl pkey -pubin -outform DER | sha256sum` say.
    expect(etcd).toEqual({
      subject: 'CN=etcd-ca',
      fingerprint: 'SHA256:F9:57:CA:D1:38:2E:25:99:11:56:F6:0B:9A:0B:71:29:0D:88:A4:B8:DF:BB:1A:1A:12:ED:C0:43:20:A9:BF:69',
      publicKey: 'b95e97a7ee51bad89f47b7cd553def572a1fd3e578426c6e63846a19091558f1',
    });
    expect(certificateIdentities(certificate('etcd-ca') + 'some text\n' + certificate('kube-ca')).map((c) => c.subject)).toEqual([
      'CN=etcd-ca',
      'CN=kubernetes',
    ]);
  });

  it('identifies nothing in what is not a certificate', () => {
    expect(certificateIdentities('')).toEqual([]);
    expect(certificateIdentities('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toEqual([]);
    expect(certificateIdentities('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toEqual([]);
  });
});

describe('sharesCa', () => {
  it.each([
    ['the same certificate', 'kube-ca', 'kube-ca', 'CN=kubernetes'],
    ['the same key in another certificate', 'kube-ca-reissued', 'kube-ca', 'CN=kubernetes'],
    ['distinct CAs', 'etcd-ca', 'kube-ca', undefined],
  ] as const)('%s', (_, a, b, subject) => {
    expect(sharesCa(ids(a), ids(b))?.subject).toBe(subject);
  });

  it('tells the re-issued CA apart by fingerprint, not by key', () => {
    const [reissued] = ids('kube-ca-reissued');
    const [original] = ids('kube-ca');
    expect(reissued?.fingerprint).not.toBe(original?.fingerprint);
    expect(reissued?.publicKey).toBe(original?.publicKey);
  });

  it('finds a shared CA in a bundle', () => {
    expect(sharesCa([...ids('etcd-ca'), ...ids('kube-ca')], ids('kube-ca-reissued'))?.subject).toBe('CN=kubernetes');
  });
});
