import type { RancherProgram } from '../collect/host-paths.js';
import { CONFIG_DROP_IN_NAMES, configDropInDir, DATA_DIR_EXAMINED, DATA_DIR_READ, inDataDir, MANIFEST_NAMES, RANCHER } from '../collect/host-paths.js';
import type { FileRequest } from '../collect/file-follow-up.js';
import type { Evidence, FileFact, HostSnapshot, ProcessInfo } from '../model.js';
import { baseName } from './command.js';
import { couldList, factSays, wasListed } from './file-facts.js';
import type { ConfigFile, RancherArg } from './k3s-config.js';
import { commandLineArgs, configArgs, lastOf } from './k3s-config.js';
import type { UnitConfig } from './systemd.js';
import { execArgv, readUnit } from './systemd.js';

// A k3s or RKE2 server as fleetbench must see it to find its etcd: its data directory, and for
// k3s whether it keeps its data in embedded etcd or in kine.
// - k3s hides its own command line (pkg/cli/server/server.go run(): SetProcTitle(os.Args[0] +
//   " server"), since v1.19.1), and the K3S_DATA_DIR in its environment is the directory of its
//   extracted binaries (cmd/k3s/main.go stageAndRun), not the data dir. So the flags come from the
//   systemd unit's ExecStart and environment, and from the config files (k3s-config.ts).
// - --data-dir / -d has no variable (pkg/cli/cmds/server.go); its default is
//   /var/lib/rancher/<program> for root (pkg/datadir/datadir.go LocalHome).
// - The config file: K3S_CONFIG_FILE if set, else --config / -c, else /etc/rancher/<program>/config.yaml,
//   with <file>.d/*.yaml (parser.go findConfigFileFlag, dotDFiles).
// - k3s's datastore (pkg/cluster/managed.go assignManagedDriver): an initialized etcd member
//   (<data-dir>/server/db/etcd/member/wal) wins whatever the flags; else a --datastore-endpoint
//   (or K3S_DATASTORE_ENDPOINT) means kine on that database; else etcd with --cluster-init or
//   --server and a token; else kine on SQLite (<data-dir>/server/db/state.db).
// Nothing is called kine without that evidence: what cannot be told is said, and asked for.

export type Datastore = { kind: 'etcd' | 'kine' | 'unknown'; reason: string; evidence: Evidence[] };

export interface RancherServer {
  program: RancherProgram;
  pid: number;
  dataDir: { path: string; evidence: Evidence[] } | { unknown: string };
  datastore: Datastore;
  /** Files the model needs and does not have yet. */
  needs: FileRequest;
}

/** The flags of `k3s server` / `rke2 server` that take a value, among those fleetbench reads. */
const WITH_VALUE = new Set(['data-dir', 'd', 'config', 'c', 'datastore-endpoint', 'server', 's', 'token', 't', 'token-file', 'agent-token']);
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

interface Sources {
  /** The real command line: the process's own, or its unit's ExecStart. */
  cli: RancherArg[] | { unknown: string };
  /** The unit's environment (the process's own holds nothing but ETCD_* for fleetbench). */
  env: UnitConfig['env'] | { unknown: string };
  unit?: UnitConfig;
}

function rancherServer(process: ProcessInfo, program: RancherProgram, snapshot: HostSnapshot): RancherServer {
  const needs: FileRequest = { read: [], stat: [], pick: [] };
  const sources = commandAndEnvironment(process, program, snapshot, needs);
  const dataDir = findDataDir(process, program, sources, snapshot, needs);
  const server: RancherServer = { program, pid: process.pid, dataDir, datastore: { kind: 'unknown', reason: '', evidence: [] }, needs };
  if ('unknown' in dataDir) {
    const become = snapshot.privilege === 'unprivileged' ? ' (scan with --become, or set become in the inventory)' : '';
    server.datastore = {
      kind: 'unknown',
      reason: `the data directory of ${program} (pid ${process.pid}) cannot be told: ${dataDir.unknown}${become}`,
      evidence: [],
    };
    return server;
  }
  for (const file of DATA_DIR_READ) if (!snapshot.files[inDataDir(dataDir.path, file)]) needs.read.push(inDataDir(dataDir.path, file));
  for (const file of DATA_DIR_EXAMINED) if (!snapshot.files[inDataDir(dataDir.path, file)]) needs.stat.push(inDataDir(dataDir.path, file));
  if (program === 'rke2') {
    const manifests = inDataDir(dataDir.path, 'podManifests');
    if (!wasListed(snapshot, manifests, MANIFEST_NAMES)) {
      needs.stat.push(manifests);
      needs.pick.push({ dir: manifests, names: MANIFEST_NAMES });
    }
  }
  server.datastore = datastore(program, process.pid, dataDir.path, sources, snapshot);
  return server;
}

function commandAndEnvironment(process: ProcessInfo, program: RancherProgram, snapshot: HostSnapshot, needs: FileRequest): Sources {
  const serverAt = process.argv.indexOf('server');
  const own = process.argv.slice(serverAt + 1).filter((arg) => arg !== '');
  const read = process.unit ? readUnit(process.unit, snapshot.files, snapshot) : undefined;
  const unit = read?.found ? read.unit : undefined;
  if (unit) needs.read.push(...unit.uncollected);
  const env: Sources['env'] = unit
    ? unit.missingEnv.length === 0
      ? unit.env
      : { unknown: `${unit.path} depends on files that could not be read: ${unit.missingEnv.join(', ')}` }
    : { unknown: process.unit ? (read && !read.found ? read.reason : `its unit ${process.unit} was not found`) : 'it does not run from a systemd unit' };
  const sources: Sources = { cli: [], env, ...(unit ? { unit } : {}) };
  if (own.length > 0) {
    // Older k3s, and other launchers, keep the command line.
    sources.cli = commandLineArgs(own, WITH_VALUE, `process ${process.pid} command line`);
    return sources;
  }
  const hidden = `${program} hides its own command line (pkg/cli/server/server.go SetProcTitle)`;
  if (!unit) {
    sources.cli = { unknown: `${hidden}, and ${'unknown' in env ? env.unknown : 'its unit could not be read'}` };
    return sources;
  }
  const exec = execArgv(unit);
  if (!exec) {
    sources.cli = { unknown: `${hidden}, and ${unit.path} has no ExecStart` };
    return sources;
  }
  if (exec.unknown.length > 0) {
    sources.cli = { unknown: `${hidden}, and the ExecStart of ${unit.path} uses ${exec.unknown.map((e) => e.text).join(' ')}, whose values could not be read` };
    return sources;
  }
  const at = exec.argv.indexOf('server');
  sources.cli = commandLineArgs(at < 0 ? [] : exec.argv.slice(at + 1), WITH_VALUE, `ExecStart of ${unit.execStart!.source}`);
  return sources;
}

function envValue(env: Sources['env'], name: string): { value: string; evidence: Evidence } | undefined {
  if ('unknown' in env) return undefined;
  const entry = env.get(name);
  return entry && entry.value !== '' ? { value: entry.value, evidence: { source: entry.source, key: name, value: entry.value } } : undefined;
}

/** The config files k3s reads, or why they cannot be told (and what to ask for). */
function configFiles(program: RancherProgram, sources: Sources, snapshot: HostSnapshot, needs: FileRequest): { files: ConfigFile[] } | { unknown: string } {
  const variable = `${program.toUpperCase()}_CONFIG_FILE`;
  if ('unknown' in sources.env) return { unknown: `${variable} may be set where fleetbench could not look: ${sources.env.unknown}` };
  const cli = Array.isArray(sources.cli) ? lastOf(sources.cli, ['config', 'c']) : undefined;
  const path = envValue(sources.env, variable)?.value ?? cli?.value ?? RANCHER[program].config;
  const files: ConfigFile[] = [];
  const main = snapshot.files[path];
  const mainSays = factSays(main);
  if (mainSays === 'not examined') needs.read.push(path);
  else if (mainSays === 'text') files.push({ path, text: main!.content! });
  else if (mainSays !== 'absent') return { unknown: `its config file ${path} ${mainSays}` };

  const dir = configDropInDir(path);
  const dirFact = snapshot.files[dir];
  const dirSays = factSays(dirFact);
  if (dirSays === 'not examined' || (dirSays === 'directory' && !wasListed(snapshot, dir, CONFIG_DROP_IN_NAMES))) {
    if (dirSays === 'not examined') needs.stat.push(dir);
    needs.pick.push({ dir, names: CONFIG_DROP_IN_NAMES });
  }
  if (needs.read.includes(path) || needs.pick.some((p) => p.dir === dir)) return { unknown: `${path} and ${dir} have not been read yet` };
  if (dirSays === 'directory') {
    const listing = couldList(dirFact!, snapshot);
    if (listing !== true) return { unknown: `the config drop-ins in ${dir} could not be listed: ${listing}` };
    const dropIns = Object.values(snapshot.files)
      .filter((f) => f.path.startsWith(`${dir}/`) && !f.path.slice(dir.length + 1).includes('/') && /\.ya?ml$/i.test(f.path) && f.type !== 'directory')
      .sort((a, b) => (baseName(a.path) < baseName(b.path) ? -1 : 1));
    for (const dropIn of dropIns) {
      const says = factSays(dropIn);
      if (says !== 'text') return { unknown: `the config drop-in ${dropIn.path} ${says}` };
      files.push({ path: dropIn.path, text: dropIn.content! });
    }
  } else if (dirSays !== 'absent') return { unknown: `the config drop-in directory ${dir} ${dirSays}` };
  return { files };
}

function findDataDir(process: ProcessInfo, program: RancherProgram, sources: Sources, snapshot: HostSnapshot, needs: FileRequest): RancherServer['dataDir'] {
  if (!Array.isArray(sources.cli)) return { unknown: sources.cli.unknown };
  const fromCli = lastOf(sources.cli, ['data-dir', 'd']);
  let chosen = fromCli;
  if (!fromCli) {
    const config = configFiles(program, sources, snapshot, needs);
    if ('unknown' in config) return { unknown: config.unknown };
    const parsed = configArgs(config.files);
    if (!parsed.ok) return { unknown: `${program} would not start with its config: ${parsed.error}` };
    chosen = lastOf(parsed.args, ['data-dir', 'd']);
  }
  if (chosen && chosen.value !== '') {
    if (chosen.value.startsWith('/')) return { path: chosen.value, evidence: [chosen.evidence] };
    if (process.cwd === undefined)
      return {
        unknown: `--data-dir ${chosen.value} (${chosen.evidence.source}) is relative to the working directory of pid ${process.pid}, which could not be read`,
      };
    return {
      path: `${process.cwd.replace(/\/$/, '')}/${chosen.value}`,
      evidence: [chosen.evidence, { source: `working directory of pid ${process.pid}`, value: process.cwd }],
    };
  }
  if (process.uid !== 0)
    return {
      unknown: `${program} runs as uid ${process.uid ?? '?'}, whose default data directory is ~/.rancher/${program}, in a home directory fleetbench does not know`,
    };
  const path = RANCHER[program].dataDir;
  return {
    path,
    evidence: [{ source: `${program}'s default for root (no --data-dir on its command line or in its config files)`, key: 'data-dir', value: path }],
  };
}

/** A datastore endpoint shown without what may follow its scheme (a password). */
function endpointShown(arg: { value: string; evidence: Evidence }): Evidence {
  const scheme = /^\s*["']?([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(arg.value)?.[1];
  return { ...arg.evidence, value: scheme ? `${scheme}://…` : '(set)' };
}

function datastore(program: RancherProgram, pid: number, dataDir: string, sources: Sources, snapshot: HostSnapshot): Datastore {
  const stat = (file: 'etcdWal' | 'etcdConfig' | 'sqlite') => {
    const path = inDataDir(dataDir, file);
    return { path, fact: snapshot.files[path], says: factSays(snapshot.files[path]) };
  };
  const evidenceOf = (file: { path: string; fact: FileFact | undefined }): Evidence => ({
    source: `stat ${file.path}`,
    value: file.fact?.exists ? 'exists' : 'does not exist',
  });
  const wal = stat('etcdWal');
  const config = stat('etcdConfig');
  const sqlite = stat('sqlite');
  const name = `${program} (pid ${pid})`;
  if (wal.fact?.exists || config.fact?.exists)
    return {
      kind: 'etcd',
      reason: `${name} runs etcd: ${wal.fact?.exists ? `an etcd member is initialized in ${wal.path}` : `it wrote ${config.path}`}`,
      evidence: [evidenceOf(wal), evidenceOf(config)],
    };

  const cli = Array.isArray(sources.cli) ? sources.cli : [];
  const config_ = configFiles(program, sources, snapshot, { read: [], stat: [], pick: [] });
  const fromConfig = 'files' in config_ ? configArgs(config_.files) : undefined;
  const configList = fromConfig?.ok ? fromConfig.args : [];
  const endpoint = lastOf([...configList, ...cli], ['datastore-endpoint']) ?? envValue(sources.env, `${program.toUpperCase()}_DATASTORE_ENDPOINT`);
  if (endpoint && endpoint.value !== '' && !/^etcd$/i.test(endpoint.value))
    return {
      kind: 'kine',
      reason: `${name} keeps its data in an external datastore through kine (--datastore-endpoint), not in an etcd of this host`,
      evidence: [endpointShown(endpoint)],
    };
  if (program === 'rke2') return { kind: 'etcd', reason: `${name} runs etcd as a static pod (RKE2's default)`, evidence: [] };
  if (sqlite.fact?.exists)
    return {
      kind: 'kine',
      reason: `${name} keeps its data in SQLite through kine (${sqlite.path}), and has no etcd member`,
      evidence: [evidenceOf(wal), evidenceOf(config), evidenceOf(sqlite)],
    };

  const unseen = [wal, config, sqlite].filter((f) => f.says !== 'absent');
  if (unseen.length > 0)
    return {
      kind: 'unknown',
      reason: `whether ${name} runs etcd or kine cannot be told: ${unseen.map((f) => `${f.path} ${f.says}`).join('; ')}${snapshot.privilege === 'unprivileged' ? ' (scan with --become, or set become in the inventory)' : ''}`,
      evidence: [],
    };
  const clusterInit = lastOf([...configList, ...cli], ['cluster-init']) ?? envValue(sources.env, 'K3S_CLUSTER_INIT');
  return {
    kind: 'unknown',
    reason:
      `${name} has neither an etcd member (${wal.path}), nor its etcd config (${config.path}), nor a SQLite database (${sqlite.path}) in ${dataDir}` +
      (clusterInit && TRUE_WORDS.has(clusterInit.value) ? `, although --cluster-init is set (${clusterInit.evidence.source})` : '') +
      ': is that its data directory?',
    evidence: [evidenceOf(wal), evidenceOf(config), evidenceOf(sqlite)],
  };
}

/** The k3s and RKE2 servers among the processes fleetbench looks into. */
export function rancherServers(processes: ProcessInfo[], snapshot: HostSnapshot): RancherServer[] {
  const servers: RancherServer[] = [];
  for (const process of processes) {
    const program = baseName(process.argv[0] ?? '');
    if ((program === 'k3s' || program === 'rke2') && process.argv.includes('server')) servers.push(rancherServer(process, program, snapshot));
  }
  return servers;
}
