import { assignment, splitCommands } from './shell-words.js';

// Finds the real command inside wrappers: `nice -n -19 ionice -c2 -n0 etcd ...`,
// `env ETCD_X=1 etcd`, `/bin/sh -c "GOMAXPROCS=$(nproc) exec /usr/bin/etcd ..."`.
// A process is a component only by its executable's base name, never by a substring.

export type ComponentName = 'etcd' | 'kube-apiserver';

/** An argv word the model cannot evaluate: a shell expansion, a systemd variable it could not read. */
export interface Expansion {
  /** Index of the word in the component's argv; argv.length for a word of unknown place. */
  index: number;
  /** The word as written. */
  text: string;
  /** It may become zero or several words, so it may stand for any flags. */
  splits: boolean;
}

export interface ComponentCommand {
  component: ComponentName;
  /** argv of the component itself, starting with its executable. */
  argv: string[];
  /** Variables set for it by `env NAME=value` or `NAME=value cmd` in a shell string. */
  env: Record<string, string>;
  /** Of `env`, the variables whose value is an expansion the model cannot perform, with the word. */
  envUnknown: Record<string, string>;
  /** Wrappers that were looked through, outermost first, e.g. ['sh -c', 'nice', 'ionice']. */
  wrappers: string[];
  /** argv words holding expansions the model cannot perform: their value is unknown here. */
  expansions: Expansion[];
  /** For each word of `argv`, the index of the word of the original argv it came from
   * (the whole `sh -c` string for words read out of one). */
  origin: number[];
  /** The words were read out of a shell string, so `$` in them is an unexpanded expansion. */
  fromShell: boolean;
}

const COMPONENTS: Record<string, ComponentName> = { etcd: 'etcd', 'kube-apiserver': 'kube-apiserver' };
const WRAPPERS = new Set([
  'nice',
  'ionice',
  'chrt',
  'taskset',
  'numactl',
  'nohup',
  'setsid',
  'env',
  'stdbuf',
  'timeout',
  'prlimit',
  'tini',
  'dumb-init',
  'exec',
  'command',
  'catatonit',
]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);
// etcd subcommands that are not the etcd server.
const NOT_A_SERVER = new Set(['grpc-proxy', 'gateway']);

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The component an argv runs, if any, looking through wrappers and `sh -c` strings. `known` are
 * variables whose values are known (a unit's or a pod's environment): a shell string's `$NAME`
 * and `${NAME}` are replaced by them, as the shell would.
 */
export function findComponent(argv: string[], known: Record<string, string> = {}): ComponentCommand | undefined {
  return unwrap({ argv, env: {}, envUnknown: {}, wrappers: [], expansions: [], origin: argv.map((_, i) => i), fromShell: false }, 0, known);
}

type Unwrapping = Omit<ComponentCommand, 'component'>;

function unwrap(at: Unwrapping, depth: number, known: Record<string, string>): ComponentCommand | undefined {
  const { argv, env, wrappers } = at;
  if (depth > 8 || argv.length === 0) return undefined;
  const name = baseName(argv[0]!);
  const component = COMPONENTS[name];
  if (component) {
    const firstArg = argv.slice(1).find((arg) => !arg.startsWith('-'));
    if (component === 'etcd' && firstArg !== undefined && NOT_A_SERVER.has(firstArg)) return undefined;
    return { component, ...at };
  }
  if (SHELLS.has(name)) return unwrapShell(at, depth, known);
  if (!WRAPPERS.has(name)) return undefined;

  // Skip the wrapper's own options and values up to the next command; `env` also sets variables.
  const nextEnv = { ...env };
  let envUnknown = at.envUnknown;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const set = name === 'env' ? assignment(arg) : undefined;
    if (set) {
      nextEnv[set.name] = set.value;
      envUnknown = withUnknown(envUnknown, set.name, at.expansions.some((e) => e.index === i) ? arg : undefined);
      continue;
    }
    const base = baseName(arg);
    if (COMPONENTS[base] || WRAPPERS.has(base) || SHELLS.has(base)) {
      const expansions = at.expansions.filter((e) => e.index >= i).map((e) => ({ ...e, index: e.index - i }));
      return unwrap(
        { ...at, argv: argv.slice(i), env: nextEnv, envUnknown, wrappers: [...wrappers, name], origin: at.origin.slice(i), expansions },
        depth + 1,
        known,
      );
    }
  }
  return undefined;
}

function unwrapShell(at: Unwrapping, depth: number, known: Record<string, string>): ComponentCommand | undefined {
  const { argv, env, wrappers } = at;
  const dashC = argv.findIndex((arg, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(arg));
  const script = dashC > 0 ? argv[dashC + 1] : undefined;
  if (script === undefined) return undefined;
  const label = `${baseName(argv[0]!)} -c`;
  for (const words of splitCommands(script, known)) {
    const commandEnv = { ...env };
    let envUnknown = at.envUnknown;
    let start = 0;
    for (; start < words.length; start++) {
      const set = assignment(words[start]!.text);
      if (!set) break;
      commandEnv[set.name] = set.value;
      envUnknown = withUnknown(envUnknown, set.name, words[start]!.expands ? words[start]!.text : undefined);
    }
    const rest = words.slice(start);
    const scriptOrigin = at.origin[dashC + 1]!;
    const found = unwrap(
      {
        argv: rest.map((w) => w.text),
        env: commandEnv,
        envUnknown,
        wrappers: [...wrappers, label],
        expansions: rest.flatMap((w, index) => (w.expands ? [{ index, text: w.text, splits: w.splits }] : [])),
        origin: rest.map(() => scriptOrigin),
        fromShell: true,
      },
      depth + 1,
      known,
    );
    if (found) return found;
  }
  return undefined;
}

/** The variables whose value is unknown, after an assignment to `name` (written as `word` when its value is unknown). */
function withUnknown(unknown: Record<string, string>, name: string, word: string | undefined): Record<string, string> {
  const rest = Object.entries(unknown).filter(([other]) => other !== name);
  return Object.fromEntries(word === undefined ? rest : [...rest, [name, word]]);
}
