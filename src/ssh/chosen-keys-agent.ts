import ssh2 from 'ssh2';
import type { IdentityCallback, ParsedKey } from 'ssh2';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { OpenSSHAgent } = ssh2;

/**
 * ssh-agent as ssh uses it under IdentitiesOnly: only the agent's keys that match one of the
 * identity files are offered. sshd counts every key offered against MaxAuthTries (6 by default),
 * so an agent full of keys would otherwise use up the tries before the right one.
 */
export class ChosenKeysAgent extends OpenSSHAgent {
  constructor(
    socketPath: string,
    private readonly chosen: readonly Buffer[],
  ) {
    super(socketPath);
  }

  override getIdentities(callback: IdentityCallback<ParsedKey>): void {
    super.getIdentities((error, keys) => {
      if (error || keys === undefined) {
        callback(error, keys);
        return;
      }
      callback(
        undefined,
        keys.filter((key) => 'getPublicSSH' in key && this.chosen.some((chosen) => chosen.equals(key.getPublicSSH()))),
      );
    });
  }
}
