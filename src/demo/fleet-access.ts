import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshOptions } from '../ssh/connect.js';
import type { HostKeyPolicy } from '../ssh/host-keys.js';
import { loadKeys } from '../ssh/keys.js';
import { loadKnownHosts } from '../ssh/known-hosts.js';
import type { RunningFleet } from './ssh-fleet.js';

/** The files a user would have to scan a fleet: known_hosts and a private key, in a private temp dir. */
export interface FleetAccess {
  dir: string;
  knownHostsFile: string;
  keyFile: string;
  ssh: SshOptions;
  remove(): Promise<void>;
}

export async function writeFleetAccess(fleet: RunningFleet, overrides: Partial<SshOptions> = {}): Promise<FleetAccess> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetbench-'));
  const knownHostsFile = join(dir, 'known_hosts');
  const keyFile = join(dir, 'id_ed25519');
  await writeFile(knownHostsFile, fleet.knownHosts, { mode: 0o600 });
  await writeFile(keyFile, fleet.clientPrivateKey, { mode: 0o600 });
  const policy: HostKeyPolicy = { mode: 'strict', knownHosts: await loadKnownHosts([knownHostsFile]), files: [knownHostsFile] };
  const ssh: SshOptions = {
    hostKeys: () => policy,
    keys: await loadKeys([keyFile]),
    defaultIdentityFiles: [keyFile],
    connectTimeoutMs: 5000,
    ...overrides,
  };
  return { dir, knownHostsFile, keyFile, ssh, remove: () => rm(dir, { recursive: true, force: true }) };
}
