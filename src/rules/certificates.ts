import { createHash, X509Certificate } from 'node:crypto';

// Identities of the certificates in a PEM file, to tell whether two CA files hold the same CA.
// Two CAs are the same when they share a certificate or a public key: a CA re-issued with the
// same key still signs certificates the other accepts.

export interface CertificateIdentity {
  /** SHA-256 of the DER certificate, as `SHA256:AB:CD:...`. */
  fingerprint: string;
  /** SHA-256 of the public key (SPKI). */
  publicKey: string;
  subject: string;
}

// The same CA files come back from every host of a cluster (and often of a fleet): parse each once.
const parsed = new Map<string, CertificateIdentity[]>();
const PARSED_LIMIT = 10_000;

export function certificateIdentities(pem: string): CertificateIdentity[] {
  const known = parsed.get(pem);
  if (known) return known;
  const identities = parseIdentities(pem);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(pem, identities);
  return identities;
}

function parseIdentities(pem: string): CertificateIdentity[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const identities: CertificateIdentity[] = [];
  for (const block of blocks) {
    try {
      const cert = new X509Certificate(block);
      const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
      identities.push({
        fingerprint: `SHA256:${cert.fingerprint256}`,
        publicKey: createHash('sha256').update(spki).digest('hex'),
        subject: cert.subject.replace(/\n/g, ', '),
      });
    } catch {
      // A block that does not parse identifies nothing; the caller reports an unreadable CA.
    }
  }
  return identities;
}

/** Whether two sets of CA certificates have a CA in common. */
export function sharesCa(a: CertificateIdentity[], b: CertificateIdentity[]): CertificateIdentity | undefined {
  return a.find((x) => b.some((y) => x.fingerprint === y.fingerprint || x.publicKey === y.publicKey));
}
