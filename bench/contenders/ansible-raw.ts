import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contender, Coverage } from './contender.js';
import { missingData, REMOTE_WORK } from './host-data.js';
import { sshCommonOptions } from './ssh-options.js';

// Ansible ad hoc, as its documentation runs a command on every host without Python there:
// `ansible all -i INVENTORY -f FORKS -m raw -b -a COMMAND`. Its own ssh defaults otherwise
// (-C, ControlMaster=auto, ControlPersist=60s, the client's default key exchange).

// The ad hoc output: a header line per host, then the command's output.
const HEADER = /^(\S+) \| (CHANGED|SUCCESS|FAILED!?|UNREACHABLE!)(?: \| rc=(-?\d+))? (?:>>|=>)/;

function parseOutput(text: string): Map<string, { status: string; output: string }> {
  const hosts = new Map<string, { status: string; output: string }>();
  let current: { status: string; output: string } | undefined;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = { status: header[2]!, output: '' };
      hosts.set(header[1]!, current);
    } else if (current) current.output += `${line}\n`;
  }
  return hosts;
}

/** Ansible's message for a failed host (its JSON's msg), or the first line of what it printed. */
function reason(output: string): string {
  return /"msg": "((?:[^"\\]|\\.)*)"/.exec(output)?.[1] ?? output.trim().split('\n')[0] ?? '';
}

export function ansibleRaw(defaultKex: string): Contender {
  const controlDir = (dir: string) => join(dir, 'cp');
  return {
    name: 'ansible -m raw',
    kex: defaultKex,
    prepare: async (context, run) => {
      const inventory = join(run.dir, 'inventory.ini');
      await mkdir(controlDir(run.dir));
      const vars = [
        `ansible_user=${context.fleet.user}`,
        `ansible_ssh_private_key_file=${context.fleet.keyFile}`,
        `ansible_ssh_common_args='${sshCommonOptions(context.fleet).join(' ')}'`,
      ];
      await writeFile(inventory, ['[all]', ...run.addresses, '', '[all:vars]', ...vars, ''].join('\n'));
      return {
        command: 'ansible',
        args: ['all', '-i', inventory, '-f', String(context.concurrency), '-m', 'raw', '-b', '-a', REMOTE_WORK],
        env: { ...context.env, ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir(run.dir) },
        stdoutFile: join(run.dir, 'ansible.out'),
      };
    },
    check: async (_context, run): Promise<Coverage> => {
      const hosts = parseOutput(await readFile(join(run.dir, 'ansible.out'), 'utf8').catch(() => ''));
      const failures: string[] = [];
      for (const address of run.addresses) {
        const host = hosts.get(address);
        const missing = !host ? 'no output' : host.status !== 'CHANGED' ? `${host.status} ${reason(host.output)}` : missingData(host.output);
        if (missing) failures.push(`${address}: ${missing}`);
      }
      return { ok: run.addresses.length - failures.length, failures };
    },
    // The masters would live on for 60 s, holding a connection to each host; end them by their sockets.
    finish: async (context, run) => {
      await context.fleet.runInFabric(
        'sh',
        ['-c', 'for s in "$1"/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit x 2>/dev/null; done; true', 'sh', controlDir(run.dir)],
        {
          env: context.env,
          timeoutMs: 60_000,
        },
      );
    },
  };
}
