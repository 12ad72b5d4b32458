import { ansibleRaw } from './ansible-raw.js';
import type { Contender } from './contender.js';
import { fleetbench } from './fleetbench.js';
import { parallelSsh } from './parallel-ssh.js';
import { sshSameWork } from './ssh-same-work.js';
import { xargsSsh } from './xargs-ssh.js';

export const CONTENDER_IDS = ['fleetbench', 'ssh-same-work', 'ssh-probe', 'ssh-same-kex', 'ssh', 'pssh', 'ansible'] as const;
export type ContenderId = (typeof CONTENDER_IDS)[number];

/** Every contender; `defaultKex` is the OpenSSH client's, which pssh and Ansible use too. */
export function allContenders(defaultKex: string): Record<ContenderId, Contender> {
  return {
    fleetbench: fleetbench(),
    // OpenSSH doing fleetbench's own work on the hosts: the same-work contender.
    'ssh-same-work': sshSameWork({ memberList: true }),
    // The same without the member list: what the probe alone costs the hosts, for the 1.5× target.
    'ssh-probe': sshSameWork({ memberList: false }),
    // The key exchange ssh2 negotiates: the "raw ssh with the same key exchange".
    'ssh-same-kex': xargsSsh({ algorithm: 'curve25519-sha256' }, defaultKex),
    ssh: xargsSsh(undefined, defaultKex),
    pssh: parallelSsh(defaultKex),
    ansible: ansibleRaw(defaultKex),
  };
}
