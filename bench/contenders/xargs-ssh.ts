import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext, Contender, Invocation, RunInput } from './contender.js';
import { REMOTE_COMMAND } from './host-data.js';
import { checkOutputFiles } from './output-files.js';
import { sshOptions } from './ssh-options.js';

// The loop an auditor writes by hand: `xargs -P` starting one OpenSSH client per host, each
// host's output to a file of its own.

// Arguments: the output directory, what ssh reads (a file, or /dev/null), the host (put in by
// xargs), the remote command, ssh's options. ssh exits 255 when it cannot connect, and xargs stops
// at the first command that exits 255: report 1 instead, so that one unreachable host does not end
// the run for all the others.
const PER_HOST =
  'out=$1; in=$2; host=$3; remote=$4; shift 4; ssh "$@" "$host" "$remote" < "$in" > "$out/$host" 2> "$out/$host.err"; s=$?; [ $s -eq 255 ] && exit 1; exit $s';

/** What each ssh runs, and what it is given on stdin. */
export interface RemoteWork {
  remote: string;
  input: string;
}

/** `kex` undefined: OpenSSH's default key exchange. */
export function xargsSsh(
  kex: { algorithm: string } | undefined,
  defaultKex: string,
): Contender & { prepare(context: BenchContext, run: RunInput, work?: RemoteWork): Promise<Invocation> } {
  return {
    name: kex ? 'xargs -P + ssh, same kex' : 'xargs -P + ssh',
    kex: kex?.algorithm ?? defaultKex,
    prepare: async (context: BenchContext, run: RunInput, work: RemoteWork = { remote: REMOTE_COMMAND, input: '/dev/null' }) => {
      const hostsFile = join(run.dir, 'hosts');
      const out = join(run.dir, 'out');
      await mkdir(out);
      await writeFile(hostsFile, `${run.addresses.join('\n')}\n`);
      const options = [...sshOptions(context.fleet), ...(kex ? ['-o', `KexAlgorithms=${kex.algorithm}`] : [])];
      return {
        command: 'xargs',
        args: ['-a', hostsFile, '-P', String(context.concurrency), '-I', '{}', 'sh', '-c', PER_HOST, 'sh', out, work.input, '{}', work.remote, ...options],
        env: context.env,
      };
    },
    check: (_context, run) => checkOutputFiles(join(run.dir, 'out'), run.addresses),
  };
}
