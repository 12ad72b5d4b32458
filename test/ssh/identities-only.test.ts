import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { RunningFleet } from '../../src/demo/ssh-fleet.js';
import type { Target } from '../../src/model.js';
import { connectWithRetries } from '../../src/ssh/connect.js';
import { generateKeyPair } from '../../src/ssh/generate-key.js';
import { loadKeys } from '../../src/ssh/keys.js';

const { AgentProtocol, utils } = ssh2;

// IdentityAgent and IdentitiesOnly against a server that, like sshd with its default MaxAuthTries
// of 6, hangs up after six refused keys. The agent (an in-process ssh-agent on a socket in the
// temp dir) holds six other keys before the right one; the identity file is only a `.pub`, its
// private half being in the agent, as ssh_config(5) allows.

describe('IdentityAgent and IdentitiesOnly', () => {
  let fleet: RunningFleet;
  let access: FleetAccess;
  let agentServer: Server;
  let socket: string;
  let identityFile: string;
  const signed: string[] = [];

  beforeAll(async () => {
    fleet = await startFleet([{ name: 'cp1', behaviour: { kind: 'hang' }, maxAuthTries: 6 }]);
    access = await writeFleetAccess(fleet);
    const right = utils.parseKey(fleet.clientPrivateKey) as ParsedKey;
    const keys = [...Array.from({ length: 6 }, () => utils.parseKey(generateKeyPair().private) as ParsedKey), right];
    identityFile = join(access.dir, 'fleet_key');
    await writeFile(`${identityFile}.pub`, `${right.type} ${right.getPublicSSH().toString('base64')} fleet\n`);
    socket = join(access.dir, 'agent.sock');
    agentServer = createServer((connection) => {
      const protocol = new AgentProtocol(false);
      protocol.on('identities', (request) => protocol.getIdentitiesReply(request, keys));
      protocol.on('sign', (request, publicKey: ParsedKey, data: Buffer) => {
        const key = keys.find((k) => k.getPublicSSH().equals(publicKey.getPublicSSH()));
        if (key === undefined) {
          protocol.failureReply(request);
          return;
        }
        signed.push(key === right ? 'right' : 'other');
        protocol.signReply(request, key.sign(data));
      });
      connection.pipe(protocol).pipe(connection);
    });
    await new Promise<void>((resolve) => agentServer.listen(socket, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => agentServer.close(resolve));
    await fleet.stop();
    await access.remove();
  });

  const connect = async (extra: Partial<Target>) => {
    const [cp1] = fleet.hosts;
    const target: Target = {
      name: 'cp1',
      cluster: 'c',
      address: cp1!.address,
      port: cp1!.port,
      user: fleet.user,
      roles: ['etcd'],
      become: false,
      identityFiles: [identityFile],
      identityAgent: socket,
      ...extra,
    };
    // No SSH_AUTH_SOCK: only the host's IdentityAgent can be used.
    const options = { ...access.ssh, keys: await loadKeys([identityFile]), defaultIdentityFiles: [] };
    const { value: client } = await connectWithRetries(target, options, { attempts: 1, baseDelayMs: 1 }, new AbortController().signal);
    client.end();
  };

  it('offers only the agent keys of the identity files under IdentitiesOnly, and gets in before MaxAuthTries', async () => {
    await expect(connect({ identitiesOnly: true })).resolves.toBeUndefined();
    expect(signed).toEqual(['right']);
  });

  it('uses up MaxAuthTries on the agent keys without it, as ssh would', async () => {
    await expect(connect({})).rejects.toThrow(/closed the connection during the handshake$/);
  });

  it('uses no agent with IdentityAgent none, and says why nothing is left to try', async () => {
    await expect(connect({ identityAgent: 'none' })).rejects.toThrow(
      `no way to authenticate to ${fleet.hosts[0]!.address}:${fleet.hosts[0]!.port}: identity file ${identityFile} not used: there is no such file`,
    );
  });
});
