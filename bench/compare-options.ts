import { parseArgs } from 'node:util';
import { CONTENDER_IDS } from './contenders/all.js';
import type { ContenderId } from './contenders/all.js';

export interface CompareOptions {
  hosts: number;
  concurrency: number;
  reps: number;
  /** Namespace hosts the fleet's addresses are spread over. */
  namespaces: number;
  /** sshd_config MaxStartups of the bench host. */
  maxStartups: string;
  contenders: ContenderId[];
  /** Also profile fleetbench and time one host's phases. */
  investigate: boolean;
  /** The hosts on the last core, the tools on the others (bench/core-split.ts). */
  splitCores: boolean;
}

export const USAGE = `npm run bench -- [options]

Times fleetbench against xargs -P + ssh (with fleetbench's key exchange and with OpenSSH's
default), parallel-ssh and ansible -m raw, on a fleet of real sshd in a network namespace.

  --hosts N           fleet size: addresses of the namespace host (default 200)
  --concurrency N     hosts at once, for every contender (default 64)
  --reps N            timed runs of each contender (default 3)
  --namespaces N      namespace hosts to spread the addresses over (default 1: one sshd, one
                      process list for all; more: fewer sessions of other hosts in each ps)
  --max-startups V    sshd's MaxStartups (default 1000: as if each connection met its own sshd;
                      10:30:100 is OpenSSH's default, which drops connections at random)
  --only A,B          contenders to run: ${CONTENDER_IDS.join(', ')} (default all)
  --split-cores       the hosts on the machine's last core, the tools on the others, as if the
                      hosts were other machines: neither takes CPU time from the other
  --investigate       then profile fleetbench (node --cpu-prof) and time one host's phases
  --help`;

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} wants a whole number above 0, not ${JSON.stringify(value)}`);
  return number;
}

/** The options, or undefined when help was asked for. Throws on anything it does not know. */
export function parseCompareOptions(argv: string[]): CompareOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      hosts: { type: 'string' },
      concurrency: { type: 'string' },
      reps: { type: 'string' },
      namespaces: { type: 'string' },
      'max-startups': { type: 'string' },
      only: { type: 'string' },
      investigate: { type: 'boolean' },
      'split-cores': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const contenders = values.only === undefined ? [...CONTENDER_IDS] : values.only.split(',').map((id) => id.trim());
  const unknown = contenders.filter((id) => !(CONTENDER_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`--only: no contender ${unknown.join(', ')} (there are ${CONTENDER_IDS.join(', ')})`);
  const maxStartups = values['max-startups'] ?? '1000';
  if (!/^\d+(:\d+:\d+)?$/.test(maxStartups))
    throw new Error(`--max-startups wants N or START:RATE:FULL, as sshd_config does, not ${JSON.stringify(maxStartups)}`);
  return {
    hosts: positiveInteger('hosts', values.hosts, 200),
    concurrency: positiveInteger('concurrency', values.concurrency, 64),
    reps: positiveInteger('reps', values.reps, 3),
    namespaces: positiveInteger('namespaces', values.namespaces, 1),
    maxStartups,
    contenders: contenders as ContenderId[],
    investigate: values.investigate ?? false,
    splitCores: values['split-cores'] ?? false,
  };
}
