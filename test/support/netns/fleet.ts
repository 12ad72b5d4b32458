import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { createCgroup, findSystemdHierarchy, removeCgroupTree } from './cgroups.js';
import type { AccountFiles, HostAccounts } from './accounts.js';
import { CleanupStack } from './cleanup-stack.js';
import { Fabric } from './fabric.js';
import { prepareHostDirectory } from './host-directory.js';
import { hostAddresses } from './plan.js';
import { HostProcess } from './host-process.js';
import { generateKeyPair, knownHostsLines } from './ssh-keys.js';
import { runCommand } from './run-command.js';
import { stageInstall } from './staging.js';
import { runName, sweepStaleRuns } from './stale-runs.js';
import type { FileSpec, FleetOptions, FleetPlan, HostPlan, HostSpec, NamespaceFleet, RunningHost } from './spec.js';

// Starts a fleet of test hosts: each its own network, mount, UTS, PID and cgroup namespaces, with
// overlays over the machine's /etc, /home, /usr and /var, a real OpenSSH sshd on its own addresses,
// a login user with the fleet's key, and whatever services the caller defines. The hosts are
// reachable only from the fabric namespace (runInFabric). Everything is undone by stop(), and by
// the start itself when it fails half way.

interface FleetContext {
  fleetPlan: FleetPlan;
  dir: string;
  cgroupRoot: string | undefined;
  joinCgroups: string[];
  user: string;
  port: number;
  clientPublicKey: string;
  baseAccounts: AccountFiles;
  fabric: Fabric;
  cleanup: CleanupStack;
}

interface StartedHost {
  running: RunningHost;
  hostPublicKey: string;
}

async function startHost(index: number, spec: HostSpec, plan: HostPlan, context: FleetContext): Promise<StartedHost> {
  const hostDir = join(context.dir, 'hosts', String(index));
  let cgroupDir: string | undefined;
  if (context.cgroupRoot) {
    cgroupDir = join(context.cgroupRoot, String(index));
    await createCgroup(cgroupDir);
    for (const service of spec.services ?? []) if (service.cgroup) await createCgroup(join(cgroupDir, service.cgroup));
  }
  const prepared = await prepareHostDirectory({
    dir: hostDir,
    spec,
    plan,
    segments: context.fleetPlan.segments,
    user: context.user,
    port: context.port,
    clientPublicKey: context.clientPublicKey,
    baseAccounts: context.baseAccounts,
    cgroupDir,
  });
  const host = await HostProcess.start(spec.name, hostDir, [...(cgroupDir ? [cgroupDir] : []), ...context.joinCgroups]);
  context.cleanup.defer(`stop host ${spec.name}`, () => host.stop());
  const segmentIndexes = Object.keys(plan.addresses).map((name) => context.fleetPlan.segments.findIndex((s) => s.name === name));
  await context.fabric.attach(index, host.pid, segmentIndexes);
  await host.networkUp();
  const running = runningHost(spec, plan, context.port, hostDir, host, prepared.accounts);
  for (const service of spec.services ?? []) if (service.autostart) await running.startService(service.name);
  return { running, hostPublicKey: prepared.hostPublicKey };
}

function runningHost(spec: HostSpec, plan: HostPlan, port: number, hostDir: string, host: HostProcess, accounts: HostAccounts): RunningHost {
  let batches = 0;
  return {
    ...plan,
    port,
    logDir: join(hostDir, 'logs'),
    startService: (name) => {
      if (!spec.services?.some((s) => s.name === name)) return Promise.reject(new Error(`host ${spec.name} has no service ${name}`));
      return host.startService(name);
    },
    install: async (files: FileSpec[]) => {
      const batch = String(++batches);
      await stageInstall(join(hostDir, 'install', batch), { files }, accounts);
      await host.install(batch);
    },
    run: async (command, args, options = {}) => {
      const as: string[] = [];
      if (options.user !== undefined && options.user !== 'root') {
        const account = accounts.users.get(options.user);
        if (!account) throw new Error(`host ${spec.name} has no user ${options.user}`);
        as.push('setpriv', `--reuid=${account.uid}`, `--regid=${account.gid}`, '--init-groups', '--');
      }
      return runCommand('nsenter', ['-t', String(await host.initPid()), '-m', '-u', '-n', '-p', '--', ...as, command, ...args], options);
    },
  };
}

function checkSpecs(plan: FleetPlan, specs: HostSpec[]): void {
  const planned = new Set(plan.hosts.map((h) => h.name));
  const given = new Set(specs.map((s) => s.name));
  const unplanned = specs.filter((s) => !planned.has(s.name)).map((s) => s.name);
  const unspecified = plan.hosts.filter((h) => !given.has(h.name)).map((h) => h.name);
  if (unplanned.length > 0 || unspecified.length > 0 || given.size !== specs.length) {
    throw new Error(`host specs and plan disagree: not planned [${unplanned.join(', ')}], no spec [${unspecified.join(', ')}], or a spec given twice`);
  }
}

export async function startNamespaceFleet(plan: FleetPlan, specs: HostSpec[], options: FleetOptions = {}): Promise<NamespaceFleet> {
  checkSpecs(plan, specs);
  const user = options.user ?? 'audit';
  const port = options.port ?? 22;
  const log = options.log ?? (() => undefined);
  const cleanup = new CleanupStack();
  try {
    const hierarchy = await findSystemdHierarchy();
    await sweepStaleRuns(hierarchy);
    const name = runName();
    const dir = join(tmpdir(), name);
    await mkdir(dir, { mode: 0o700 });
    cleanup.defer(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
    let cgroupRoot: string | undefined;
    if (hierarchy) {
      cgroupRoot = join(hierarchy, name);
      await createCgroup(cgroupRoot);
      cleanup.defer(`remove cgroup ${cgroupRoot}`, () => removeCgroupTree(cgroupRoot!));
    }
    const keyFile = join(dir, 'client_ed25519');
    const clientPublicKey = await generateKeyPair(keyFile, `${user}@fleetbench-tests`);
    const fabric = await Fabric.start(plan.segments);
    cleanup.defer('stop the fabric namespace', () => fabric.stop());
    log(`fabric up; starting ${specs.length} hosts`);

    const limit = pLimit(options.concurrency ?? 16);
    const baseAccounts: AccountFiles = {
      passwd: await readFile('/etc/passwd', 'utf8'),
      group: await readFile('/etc/group', 'utf8'),
      shadow: await readFile('/etc/shadow', 'utf8'),
    };
    const context: FleetContext = {
      fleetPlan: plan,
      dir,
      cgroupRoot,
      joinCgroups: options.joinCgroups ?? [],
      user,
      port,
      clientPublicKey,
      baseAccounts,
      fabric,
      cleanup,
    };
    // Wait for every start to settle before failing: a host still starting when cleanup runs
    // would register its own cleanup too late and outlive the fleet.
    const outcomes = await Promise.allSettled(
      specs.map((spec) =>
        limit(async () => {
          const index = plan.hosts.findIndex((h) => h.name === spec.name);
          const started = await startHost(index, spec, plan.hosts[index]!, context);
          log(`host ${spec.name} up at ${started.running.address}`);
          return started;
        }),
      ),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const started = outcomes.map((o) => (o as PromiseFulfilledResult<StartedHost>).value);

    const knownHostsFile = join(dir, 'known_hosts');
    await writeFile(knownHostsFile, started.flatMap((s) => knownHostsLines(hostAddresses(s.running), port, s.hostPublicKey)).join('\n') + '\n');
    const hosts = started.map((s) => s.running);
    return {
      plan,
      hosts,
      host: (hostName) => {
        const found = hosts.find((h) => h.name === hostName);
        if (!found) throw new Error(`the fleet has no host ${hostName}`);
        return found;
      },
      knownHostsFile,
      keyFile,
      user,
      dir,
      runInFabric: (command, args, runOptions) => fabric.run(command, args, runOptions),
      stop: () => cleanup.runAll(),
    };
  } catch (error) {
    await cleanup.runAll().catch((cleanupError: unknown) => log(String(cleanupError)));
    throw error;
  }
}
