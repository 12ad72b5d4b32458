import ssh2 from 'ssh2';
import type { utils as Ssh2Utils } from 'ssh2';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { utils } = ssh2;

/**
 * A fresh ed25519 key pair that ssh2 itself can read back. ssh2 1.17's generateKeyPairSync strips
 * leading zero bytes from the public key, so about 1 pair in 256 is unusable (mscdex/ssh2#1513):
 * such pairs are thrown away.
 */
export function generateKeyPair(): Ssh2Utils.KeyPairReturn {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}
