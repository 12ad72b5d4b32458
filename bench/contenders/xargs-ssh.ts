import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contender } from './contender.js';
import { REMOTE_COMMAND } from './host-data.js';
import { checkOutputFiles } from './output-files.js';
import { sshOptions } from './ssh-options.js';

// The loop an auditor writes by hand: `xargs -P` starting one OpenSSH client per host, each
// host's output to a file of its own.

// Arguments: the output directory, the host (put in by xargs), the remote command, ssh's options.
// ssh exits 255 when it cannot connect, and xargs stops at the first command that exits 255:
// report 1 instead, so that one unreachable host does not end the run for all the others.
const PER_HOST = 'out=$1; host=$2; remote=$3; shift 3; ssh "$@" "$host" "$remote" > "$out/$host" 2> "$out/$host.err"; s=$?; [ $s -eq 255 ] && exit 1; exit $s';

/** `kex` undefined: OpenSSH's default key exchange. */
export function xargsSsh(kex: { algorithm: string } | undefined, defaultKex: string): Contender {
  return {
    name: kex ? 'xargs -P + ssh, same kex' : 'xargs -P + ssh',
    kex: kex?.algorithm ?? defaultKex,
    prepare: async (context, run) => {
      const hostsFile = join(run.dir, 'hosts');
      const out = join(run.dir, 'out');
      await mkdir(out);
      await writeFile(hostsFile, `${run.addresses.join('\n')}\n`);
      const options = [...sshOptions(context.fleet), ...(kex ? ['-o', `KexAlgorithms=${kex.algorithm}`] : [])];
      return {
        command: 'xargs',
        args: ['-a', hostsFile, '-P', String(context.concurrency), '-I', '{}', 'sh', '-c', PER_HOST, 'sh', out, '{}', REMOTE_COMMAND, ...options],
        env: context.env,
      };
    },
    check: (_context, run) => checkOutputFiles(join(run.dir, 'out'), run.addresses),
  };
}
