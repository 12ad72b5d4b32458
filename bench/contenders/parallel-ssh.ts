import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contender } from './contender.js';
import { REMOTE_COMMAND } from './host-data.js';
import { checkOutputFiles } from './output-files.js';
import { sshOptions } from './ssh-options.js';

// parallel-ssh (Debian's pssh) as documented: a host file, -p for parallelism, each host's stdout
// and stderr to files of their own (-o, -e). Its own defaults otherwise (timeout, key exchange).

export function parallelSsh(defaultKex: string): Contender {
  return {
    name: 'parallel-ssh',
    kex: defaultKex,
    prepare: async (context, run) => {
      const hostsFile = join(run.dir, 'hosts');
      await writeFile(hostsFile, `${run.addresses.join('\n')}\n`);
      // -x passes ssh arguments through (split like a shell would), -O one ssh option each.
      const [plain, options] = splitOptions(sshOptions(context.fleet));
      return {
        command: 'parallel-ssh',
        args: [
          '-p',
          String(context.concurrency),
          '-h',
          hostsFile,
          '-o',
          join(run.dir, 'out'),
          '-e',
          join(run.dir, 'err'),
          '-x',
          plain.join(' '),
          ...options.flatMap((o) => ['-O', o]),
          REMOTE_COMMAND,
        ],
        env: context.env,
        stdoutFile: join(run.dir, 'pssh.log'),
      };
    },
    check: (_context, run) => checkOutputFiles(join(run.dir, 'out'), run.addresses, join(run.dir, 'err'), ''),
  };
}

/** ssh arguments that are not `-o` options, and the values of the `-o` options. */
function splitOptions(args: string[]): [string[], string[]] {
  const plain: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o') options.push(args[++i]!);
    else plain.push(args[i]!);
  }
  return [plain, options];
}
