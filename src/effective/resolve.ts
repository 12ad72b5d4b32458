import type { Evidence, FileFact, HostSnapshot, ProcessInfo } from '../model.js';
import type { ComponentCommand, ComponentName } from './command.js';
import { findComponent } from './command.js';
import { readEtcdConfigFile } from './config-file.js';
import { fileKeyOfFlag } from './etcd-file-keys.js';
import { applyTlsEffects } from './etcd-tls.js';
import type { ParsedFlags } from './flags.js';
import { APISERVER_BOOLEAN_FLAGS, ETCD_BOOLEAN_FLAGS, parseFlags } from './flags.js';
import type { ResolvedConfig } from './host-components.js';
import { addNote } from './host-components.js';
import type { ManifestCommand } from './manifest.js';
import type { EnvValue } from './systemd.js';
import { execArgv, readUnit } from './systemd.js';

// The configuration one instance really runs with, the way the component itself reads it:
// command-line flags (last wins), then for etcd the ETCD_* environment for flags not given, unless
// --config-file is given, in which case etcd reads only that file. From three points of view: a
// running process, a systemd unit, a static pod manifest.

/**
 * The flag an ETCD_* variable sets: etcd looks up exactly "ETCD_" + the flag name upper-cased with
 * _ for - (pkg/flags/flag.go FlagToEnv, os.Getenv): ETCD_name is never read.
 */
function keyOfEnv(name: string): string | undefined {
  if (!/^ETCD_[A-Z0-9_]+$/.test(name)) return undefined;
  return name.slice(5).toLowerCase().replaceAll('_', '-');
}

const BOOLEANS: Record<ComponentName, ReadonlySet<string>> = {
  etcd: ETCD_BOOLEAN_FLAGS,
  'kube-apiserver': APISERVER_BOOLEAN_FLAGS,
};

type EnvSource =
  | { known: true; label: string; vars: Map<string, EnvValue>; /** What systemd does with the unit that touches its variables. */ notes?: string[] }
  | { known: false; label: string; reason: string };

interface Resolvable {
  component: ComponentName;
  /** A running process (what was read is what it started with) or what a restart would run. */
  view: 'running' | 'restart';
  label: string;
  command: ComponentCommand;
  describeWord(index: number): string;
  argvLabel: string;
  env: EnvSource;
  files: Record<string, FileFact>;
}

function resolve(input: Resolvable): ResolvedConfig {
  const { component, command } = input;
  const flags = parseFlags(command.argv, {
    describe: input.describeWord,
    component,
    booleans: BOOLEANS[component],
    grammar: component === 'etcd' ? 'go-flag' : 'pflag',
    expansions: command.expansions,
  });
  const config: ResolvedConfig = {
    component,
    label: input.label,
    settings: flags.settings,
    searched: (key) => [{ source: input.argvLabel, key: `--${key}`, value: null }],
  };
  if (flags.unknownKeys.size > 0) config.unknownKeys = new Map(flags.unknownKeys);
  if (flags.refusal !== undefined) cannotStart(config, input.view, flags.refusal);
  const unknownReasons = flags.opaque === undefined ? [] : [flags.opaque];
  if (component === 'kube-apiserver') {
    if (unknownReasons.length > 0) config.unknown = unknownReasons.join('; ');
    return config;
  }

  // Variables set by a wrapper (`env X=1 etcd`, `X=1 etcd` in a shell string) are part of the command.
  const wrapperEnv = new Map(
    Object.entries(command.env).map(([name, value]): [string, EnvValue] => {
      const unknown = command.envUnknown[name];
      return [
        name,
        unknown === undefined
          ? { value, source: input.argvLabel }
          : { value, source: input.argvLabel, unknown: `${unknown} is an expansion fleetbench cannot perform` },
      ];
    }),
  );
  const env: Map<string, EnvValue> = input.env.known ? new Map([...input.env.vars, ...wrapperEnv]) : wrapperEnv;

  // etcdmain config.parse: --config-file, else ETCD_CONFIG_FILE (v3.4.45 etcdmain/config.go L286-332).
  const configFile = flags.settings.get('config-file')?.value || env.get('ETCD_CONFIG_FILE')?.value;
  if (configFile) {
    const fromFile = fromConfigFile(config, configFile, input.files, flags);
    ignoreInFileMode(fromFile, flags, env);
    return fromFile;
  }

  const empty = new Map<string, Evidence>();
  for (const [name, entry] of env) {
    const key = keyOfEnv(name);
    if (!key) continue;
    const evidence: Evidence = { source: entry.source === input.argvLabel ? input.argvLabel : entry.source, key: name, value: entry.value };
    const flag = flags.settings.get(key);
    if (flag || flags.unknownKeys.has(key)) {
      // pkg/flags/flag.go verifyEnv: etcd 3.4 and later stop at a variable for a flag given on the
      // command line, even an empty one (v3.4.45 L83-85, v3.5.33 L83-90: Fatal); 3.3 logs "shadowed
      // by corresponding flag" and lets the flag win (v3.3.27 L121-124). A running etcd with both is
      // an older one, so there it is said; what a restart runs would not start on 3.4 and later.
      flag?.overridden.push(evidence);
      const shadowed = `etcd 3.4 and later refuse to start when both ${name} (${entry.source}) and --${key} are given ("conflicting environment variable is shadowed by corresponding command-line flag", pkg/flags/flag.go verifyEnv); etcd 3.3 and older let the flag win`;
      addNote(config, key, shadowed);
      (config.shadowed ??= new Map()).set(name, shadowed);
      continue;
    }
    if (entry.unknown !== undefined) {
      (config.unknownKeys ??= new Map()).set(key, `${name} (${entry.source}) cannot be known here: ${entry.unknown}`);
      continue;
    }
    // setFlagFromEnv (pkg/flags/flag.go, v3.3.27 to v3.6.14): `if val != ""`, an empty variable
    // sets nothing (verifyEnv then logs it as "unrecognized"): shown where it was looked for.
    if (entry.value === '') {
      empty.set(key, { source: `${entry.source}, empty: etcd skips it and keeps its default (pkg/flags/flag.go setFlagFromEnv)`, key: name, value: '' });
      continue;
    }
    flags.settings.set(key, { key, value: entry.value, evidence, overridden: [] });
  }
  // What systemd does with the unit that touches an ETCD_* variable (a dropped assignment, a
  // variable passed from the manager's own environment) is said on that setting.
  for (const note of input.env.known ? (input.env.notes ?? []) : []) {
    for (const name of new Set(note.match(/ETCD_[A-Z0-9_]+/g) ?? [])) {
      const key = keyOfEnv(name);
      if (key) addNote(config, key, note);
      if (key && /PassEnvironment=/.test(note) && !env.has(name)) (config.unknownKeys ??= new Map()).set(key, note);
    }
  }
  config.searched = (key) => [
    { source: input.argvLabel, key: `--${key}`, value: null },
    empty.get(key) ?? { source: input.env.label, key: `ETCD_${key.toUpperCase().replaceAll('-', '_')}`, value: null },
  ];
  if (!input.env.known) unknownReasons.push(input.env.reason);
  if (unknownReasons.length > 0) config.unknown = unknownReasons.join('; ');
  applyTlsEffects(config);
  return config;
}

/**
 * With a config file etcd takes nothing from its other flags or its ETCD_* variables (etcdmain
 * config.parse: configFromFile replaces the whole embed.Config; SetFlagsFromEnv is not called):
 * they are evidence of what is not in effect.
 */
function ignoreInFileMode(config: ResolvedConfig, flags: ParsedFlags, env: Map<string, EnvValue>): void {
  const ignored = new Map<string, Evidence[]>();
  const add = (key: string, evidence: Evidence) => ignored.set(key, [...(ignored.get(key) ?? []), evidence]);
  const why = `ignored by etcd: with --config-file it reads only ${config.configFile}`;
  for (const [key, setting] of flags.settings) if (key !== 'config-file') add(key, { ...setting.evidence, source: `${setting.evidence.source}, ${why}` });
  for (const [name, entry] of env) {
    const key = keyOfEnv(name);
    if (key && key !== 'config-file') add(key, { source: `${entry.source}, ${why}`, key: name, value: entry.value });
  }
  if (ignored.size === 0) return;
  const searched = config.searched;
  config.searched = (key) => [...searched(key), ...(ignored.get(key) ?? [])];
}

/**
 * What a restart runs with a variable shadowed by a flag would not start on etcd 3.4 and later,
 * unless the running instance already has the same pair: then its etcd lets the flag win (3.3 or
 * older), and a restart of it would too (said in the note).
 */
export function refuseShadowed(onDisk: ResolvedConfig, running: ResolvedConfig | undefined): void {
  for (const [name, why] of onDisk.shadowed ?? []) {
    if (running?.shadowed?.has(name)) continue;
    onDisk.refused ??= why;
  }
}

/**
 * A command line the component refuses. What a restart runs would not start: no control passes
 * on it. A running process cannot have started with what was read of it: nothing read is trusted.
 */
function cannotStart(config: ResolvedConfig, view: Resolvable['view'], refusal: string): void {
  if (view === 'restart') config.refused ??= refusal;
  else config.contradiction = `what was read of ${config.label} cannot be what it runs with, since ${refusal.replace(/^\S+ refuses/, 'it would refuse')}`;
}

export function fromConfigFile(config: ResolvedConfig, path: string, files: Record<string, FileFact>, flags: ParsedFlags): ResolvedConfig {
  const file = files[path];
  const origin = flags.settings.get('config-file')?.evidence.source ?? 'ETCD_CONFIG_FILE';
  config.configFile = path;
  config.searched = (key) => [{ source: path, key: fileKeyOfFlag(key) ?? `${key} (no config-file key: a flag only)`, value: null }];
  if (!file || file.content === undefined) {
    const why = !file
      ? 'was not collected'
      : !file.exists
        ? file.unreadable
          ? `cannot be seen (${file.unreadable})`
          : 'does not exist'
        : (file.unreadable ?? 'could not be read');
    config.settings = new Map();
    config.unknown = `etcd reads its configuration from ${path} (named in ${origin}), which ${why}`;
    return config;
  }
  const read = readEtcdConfigFile(path, file.content);
  if (!read.ok) {
    config.settings = new Map();
    config.unknown = `etcd's config file ${path} could not be read: ${read.error}`;
    return config;
  }
  config.settings = read.settings;
  config.label = `${config.label} (config file ${path})`;
  if (read.refused !== undefined) config.refused = read.refused;
  if (read.unknownKeys.size > 0) config.unknownKeys = read.unknownKeys;
  for (const [key, notes] of read.notes) for (const note of notes) addNote(config, key, note);
  const searched = config.searched;
  config.searched = (key) => [...searched(key), ...(read.ignored.get(key) ?? [])];
  applyTlsEffects(config);
  return config;
}

export function resolveProcess(process: ProcessInfo, command: ComponentCommand, snapshot: HostSnapshot): ResolvedConfig {
  const where = process.argvSource === 'ps' ? `process ${process.pid} (process list line, split at spaces)` : `process ${process.pid} command line`;
  // The shell whose string the words were read from, not a wrapper inside it (`exec`, `nice`).
  const shell = command.wrappers.findLast((wrapper) => wrapper.endsWith(' -c'));
  const argvLabel = shell ? `${where}, inside its "${shell}" string` : where;
  return resolve({
    component: command.component,
    view: 'running',
    label: `${command.component} process ${process.pid}`,
    command,
    describeWord: () => argvLabel,
    argvLabel,
    env: processEnv(process, snapshot),
    files: snapshot.files,
  });
}

function processEnv(process: ProcessInfo, snapshot: HostSnapshot): EnvSource {
  const label = `environment of pid ${process.pid}`;
  const environ = snapshot.environ[process.pid];
  if (environ) {
    return { known: true, label, vars: new Map(Object.entries(environ).map(([name, value]) => [name, { value, source: label }])) };
  }
  const unit = process.unit ? readUnit(process.unit, snapshot.files, snapshot) : undefined;
  if (unit?.found && unit.unit.missingEnv.length === 0) {
    // The environment systemd gives the process is what its unit says, as of the last start.
    return {
      known: true,
      label: `${unit.unit.sources.join(', ')} (the environment of pid ${process.pid} was not readable)`,
      vars: unit.unit.env,
      notes: unit.unit.notes,
    };
  }
  const needs = snapshot.privilege === 'unprivileged' ? ' (reading it needs root: scan with --become, or set become in the inventory)' : '';
  const missing = !unit
    ? ''
    : unit.found
      ? `; ${unit.unit.path} depends on files that could not be read: ${unit.unit.missingEnv.join(', ')}`
      : `; ${unit.reason}`;
  return { known: false, label, reason: `the ETCD_* environment of pid ${process.pid} could not be read${needs}${missing}` };
}

export function resolveUnit(unitName: string, component: ComponentName, snapshot: HostSnapshot): ResolvedConfig | undefined {
  const { files } = snapshot;
  const read = readUnit(unitName, files, snapshot);
  if (!read.found) return undefined;
  const { unit } = read;
  const exec = execArgv(unit);
  if (!exec) return undefined;
  const command = findComponent(exec.argv, Object.fromEntries([...unit.env].map(([name, entry]) => [name, entry.value])));
  if (!command || command.component !== component) return undefined;
  // ExecStart words of variables whose values are not known: where they are in the component's
  // argv (origin), or, inside a shell string, anywhere.
  for (const word of exec.unknown) {
    const at = command.fromShell ? -1 : command.origin.indexOf(word.index);
    command.expansions.push(at < 0 ? { ...word, index: command.argv.length, splits: true } : { ...word, index: at });
  }
  const envLabel = unit.sources.join(', ');
  const config = resolve({
    component,
    view: 'restart',
    label: `${component} unit ${unit.path}`,
    command,
    describeWord: () => unit.execStart!.source,
    argvLabel: unit.execStart!.source,
    env:
      unit.missingEnv.length === 0
        ? { known: true, label: envLabel, vars: unit.env, notes: unit.notes }
        : { known: false, label: envLabel, reason: `${unit.path} depends on files that could not be read: ${unit.missingEnv.join(', ')}` },
    files,
  });
  if (unit.refused !== undefined) config.refused ??= unit.refused;
  return config;
}

export function resolveManifest(manifest: ManifestCommand, files: Record<string, FileFact>): ResolvedConfig {
  const { command, path, lines } = manifest;
  return resolve({
    component: command.component,
    view: 'restart',
    label: `${command.component} manifest ${path}`,
    command,
    describeWord: (i) => (lines[i] ? `${path} line ${lines[i]}` : path),
    argvLabel: path,
    // The container's environment is what its spec sets; the manifest is the whole story.
    env: { known: true, label: `${path} (container env)`, vars: manifest.env },
    files,
  });
}
