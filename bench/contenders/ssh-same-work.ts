import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launcherCommand } from '../../src/collect/launcher.js';
import { finalRecord, parseProbeOutput } from '../../src/collect/parse-output.js';
import { memberListFollowUp, readMemberList } from '../../src/collect/member-list.js';
import { newNonce, probeScript } from '../../src/collect/probe.js';
import { discoverComponents } from '../../src/effective/discover.js';
import { memberListPlan } from '../../src/effective/member-query.js';
import type { BenchContext, Contender, Coverage } from './contender.js';
import { sshOptions } from './ssh-options.js';
import { xargsSsh } from './xargs-ssh.js';

// OpenSSH doing exactly fleetbench's work on each host: the same launcher command, the same probe
// on its stdin, then the same `etcdctl member list` in the probe's shell, with the key exchange
// ssh2 negotiates, one `ssh` per host started by `xargs -P`. What fleetbench spends beyond this is
// its client's share alone.

const SAME_KEX = 'curve25519-sha256';

/**
 * The probe and the member-list follow-up for the bench host, worked out once the way fleetbench
 * does (probe, parse, find etcd, plan the question) from one address: every address is the same
 * host, so the same etcd answers at each.
 */
async function probeInput(context: BenchContext, address: string, nonce: string): Promise<string> {
  const script = probeScript({ nonce, deadlineSeconds: 60 });
  const probed = await context.fleet.runInFabric('ssh', [...sshOptions(context.fleet), '-o', `KexAlgorithms=${SAME_KEX}`, address, launcherCommand(true)], {
    env: context.env,
    input: script,
    timeoutMs: 60_000,
  });
  const output = Buffer.from(probed.stdout, 'latin1');
  const snapshot = parseProbeOutput(output, { target: address, nonce, collectedAt: '', user: context.fleet.user });
  const plan = memberListPlan(discoverComponents(snapshot), snapshot);
  const followUp = plan?.ok ? memberListFollowUp(plan.query) : undefined;
  if (!followUp) throw new Error(`no member list to ask on ${address}: ${plan && !plan.ok ? plan.reason : 'no trusted etcd with TLS'}`);
  return script + followUp;
}

export function sshSameWork(): Contender {
  const nonce = newNonce();
  const base = xargsSsh({ algorithm: SAME_KEX }, SAME_KEX);
  return {
    name: "ssh, same kex, fleetbench's probe",
    kex: SAME_KEX,
    prepare: async (context, run) => {
      const input = join(run.dir, 'probe.sh');
      await writeFile(input, await probeInput(context, run.addresses[0]!, nonce));
      return base.prepare(context, run, { remote: launcherCommand(true), input });
    },
    check: async (_context, run): Promise<Coverage> => {
      const failures: string[] = [];
      for (const address of run.addresses) {
        const output = await readFile(join(run.dir, 'out', address)).catch(() => Buffer.alloc(0));
        const end = output.indexOf(finalRecord(nonce));
        const listed = end < 0 ? undefined : readMemberList(output.subarray(end + finalRecord(nonce).length), nonce);
        if (end < 0) failures.push(`${address}: the probe did not finish`);
        else if (!listed?.ok) failures.push(`${address}: no member list (${listed?.error ?? 'none'})`);
      }
      return { ok: run.addresses.length - failures.length, failures };
    },
  };
}
