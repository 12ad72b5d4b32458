import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileFollowUp } from '../../src/collect/file-follow-up.js';
import { listingKeys } from '../../src/collect/host-paths.js';
import { firstLaunch, launcherCommand } from '../../src/collect/launcher.js';
import { memberListFollowUp, readMemberList } from '../../src/collect/member-list.js';
import { finalRecord, parseProbeOutput } from '../../src/collect/parse-output.js';
import { newNonce, probeScript } from '../../src/collect/probe.js';
import { discoverComponents } from '../../src/effective/discover.js';
import { filesToAsk } from '../../src/effective/file-needs.js';
import { memberListPlan } from '../../src/effective/member-query.js';
import { MAX_FILE_FOLLOW_UPS } from '../../src/scan/collect-host.js';
import type { BenchContext, Contender, Coverage } from './contender.js';
import { sshOptions } from './ssh-options.js';
import { xargsSsh } from './xargs-ssh.js';

// OpenSSH doing exactly fleetbench's work on each host: the same launcher command, the same probe
// on its stdin, the same follow-ups that read the files only parsing named (none on the bench's
// kubeadm host, but worked out as a scan does), then the same `etcdctl member list` in the probe's
// shell, with the key exchange ssh2 negotiates, one `ssh` per host started by `xargs -P`. What
// fleetbench spends beyond this is its client's share alone. Without the member list (which a
// real fleet asks once per cluster, and this bench's fleet of single-node clusters on every host)
// it measures what the probe alone costs the hosts.

const SAME_KEX = 'curve25519-sha256';

/** The command a scan starts the probe with, as the bench's user, through sudo without a password. */
const sameLauncher = (context: BenchContext) => launcherCommand(firstLaunch(true, context.fleet.user, false));

/** The probe's output, and each follow-up's answer after it (each ending with its `files-done`). */
function splitAnswers(output: Buffer, nonce: string): { probe: Buffer; followUps: Buffer[] } {
  const done = finalRecord(nonce);
  const end = output.indexOf(done);
  if (end < 0) return { probe: output, followUps: [] };
  const followUps: Buffer[] = [];
  const marker = finalRecord(nonce, 'files-done');
  let at = end + done.length;
  for (let next = output.indexOf(marker, at); next >= 0; next = output.indexOf(marker, at)) {
    followUps.push(output.subarray(at, next + marker.length));
    at = next + marker.length;
  }
  return { probe: output.subarray(0, end + done.length), followUps };
}

/**
 * What fleetbench sends the bench host, worked out the way a scan does (probe, parse, ask for the
 * files parsing named until there are none, then plan the member list), from one address: every
 * address is the same host, so the same answers come from each. `probe` is the probe and its
 * follow-ups; `memberList` what a scan sends after them.
 */
export async function scanInput(context: BenchContext, address: string, nonce: string): Promise<{ probe: string; memberList: string }> {
  let input = probeScript({ nonce, deadlineSeconds: 60 });
  const asked = new Set<string>();
  let listed: string[] = [];
  for (let trip = 0; ; trip++) {
    const probed = await context.fleet.runInFabric('ssh', [...sshOptions(context.fleet), '-o', `KexAlgorithms=${SAME_KEX}`, address, sameLauncher(context)], {
      env: context.env,
      input,
      timeoutMs: 60_000,
    });
    const { probe, followUps } = splitAnswers(Buffer.from(probed.stdout, 'latin1'), nonce);
    const snapshot = parseProbeOutput(probe, { target: address, nonce, collectedAt: '', user: context.fleet.user, listed }, followUps);
    const components = discoverComponents(snapshot);
    const request = filesToAsk(components, snapshot, asked);
    const followUp = trip < MAX_FILE_FOLLOW_UPS ? fileFollowUp(request) : undefined;
    if (followUp) {
      for (const path of [...request.read, ...request.stat]) asked.add(path);
      const listings = request.pick.flatMap(listingKeys);
      for (const listing of listings) asked.add(listing);
      listed = [...listed, ...listings];
      input += followUp;
      continue;
    }
    const plan = memberListPlan(components, snapshot);
    const members = plan?.ok ? memberListFollowUp(plan.query) : undefined;
    if (!members) throw new Error(`no member list to ask on ${address}: ${plan && !plan.ok ? plan.reason : 'no trusted etcd with TLS'}`);
    return { probe: input, memberList: members };
  }
}

export function sshSameWork({ memberList }: { memberList: boolean }): Contender {
  const nonce = newNonce();
  const base = xargsSsh({ algorithm: SAME_KEX }, SAME_KEX);
  return {
    name: memberList ? "ssh, same kex, fleetbench's probe" : 'ssh, same kex, the probe alone',
    kex: SAME_KEX,
    prepare: async (context, run) => {
      const input = join(run.dir, 'probe.sh');
      const sent = await scanInput(context, run.addresses[0]!, nonce);
      await writeFile(input, memberList ? sent.probe + sent.memberList : sent.probe);
      return base.prepare(context, run, { remote: sameLauncher(context), input });
    },
    check: async (_context, run): Promise<Coverage> => {
      const failures: string[] = [];
      for (const address of run.addresses) {
        const output = await readFile(join(run.dir, 'out', address)).catch(() => Buffer.alloc(0));
        const end = output.indexOf(finalRecord(nonce));
        if (end < 0) {
          failures.push(`${address}: the probe did not finish`);
          continue;
        }
        if (!memberList) continue;
        const listed = readMemberList(output.subarray(end + finalRecord(nonce).length), nonce);
        if (!listed.ok) failures.push(`${address}: no member list (${listed.error})`);
      }
      return { ok: run.addresses.length - failures.length, failures };
    },
  };
}
