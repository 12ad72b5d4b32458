import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../run-command.js';

// Certificates made with openssl at test time: one set of authorities per cluster (an etcd CA
// distinct from the Kubernetes CA, unless a layout means them to be the same), leaf certificates
// per host with the host's address in the SAN. ECDSA P-256: as good as RSA for etcd's TLS, and
// fast enough to make dozens per run.

export interface KeyPair {
  cert: string;
  key: string;
}

export interface LeafRequest {
  profile: 'server' | 'peer' | 'client';
  commonName: string;
  /** For server and peer certificates: the host's name and address. */
  hostName: string;
  ip: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-days', '7'];

export class Pki {
  private readonly authorities = new Map<string, Promise<KeyPair>>();
  private leaves = 0;

  private constructor(
    private readonly dir: string,
    private readonly config: string,
  ) {}

  static async create(dir: string): Promise<Pki> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // No defaults from the machine's openssl.cnf: every extension is the one asked for.
    const config = join(dir, 'openssl.cnf');
    await writeFile(config, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
    return new Pki(dir, config);
  }

  /** The self-signed CA `name` of `scope` (a cluster): made once, then the same for every host. */
  authority(scope: string, name: string): Promise<KeyPair> {
    const id = `${scope}/${name}`;
    let made = this.authorities.get(id);
    if (!made) {
      const pair = { cert: join(this.dir, `${scope}--${name}.crt`), key: join(this.dir, `${scope}--${name}.key`) };
      made = runChecked('openssl', [
        'req',
        '-config',
        this.config,
        '-x509',
        ...EC_KEY,
        '-keyout',
        pair.key,
        '-out',
        pair.cert,
        '-subj',
        `/CN=${name}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      ]).then(() => pair);
      this.authorities.set(id, made);
    }
    return made;
  }

  async leaf(authority: KeyPair, request: LeafRequest): Promise<KeyPair> {
    const base = join(this.dir, `leaf-${++this.leaves}`);
    const pair = { cert: `${base}.crt`, key: `${base}.key` };
    const extensions =
      request.profile === 'client'
        ? ['-addext', 'extendedKeyUsage=clientAuth']
        : [
            '-addext',
            `subjectAltName=IP:${request.ip},IP:127.0.0.1,DNS:localhost,DNS:${request.hostName}`,
            '-addext',
            'extendedKeyUsage=serverAuth,clientAuth',
          ];
    await runChecked('openssl', [
      'req',
      '-config',
      this.config,
      '-x509',
      ...EC_KEY,
      '-keyout',
      pair.key,
      '-out',
      pair.cert,
      '-subj',
      `/CN=${request.commonName}`,
      '-CA',
      authority.cert,
      '-CAkey',
      authority.key,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      ...extensions,
    ]);
    return pair;
  }
}

export async function readPair(pair: KeyPair): Promise<{ cert: string; key: string }> {
  return { cert: await readFile(pair.cert, 'utf8'), key: await readFile(pair.key, 'utf8') };
}
