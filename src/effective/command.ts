import { assignment, splitCommands } from './shell-words.js';

// Finds the real command inside wrappers: `nice -n -19 ionice -c2 -n0 etcd ...`,
// `env ETCD_X=1 etcd`, `/bin/sh -c "GOMAXPROCS=$(nproc) exec /usr/bin/etcd ..."`.
// A process is a component only by its executable's base name, never by a substring.

export type ComponentName = 'etcd' | 'kube-apiserver';

export interface ComponentCommand {
  component: ComponentName;
  /** argv of the component itself, starting with its executable. */
  argv: string[];
  /** Variables set for it by `env NAME=value` or `NAME=value cmd` in a shell string. */
  env: Record<string, string>;
  /** Wrappers that were looked through, outermost first, e.g. ['sh -c', 'nice', 'ionice']. */
  wrappers: string[];
  /** argv words that are unexpanded shell expansions: their value is unknown here. */
  unexpanded: string[];
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
  return unwrap({ argv, env: {}, wrappers: [], unexpanded: [], origin: argv.map((_, i) => i), fromShell: false }, 0, known);
}

function expand(word: string, known: Record<string, string>): string {
  return word.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, bare?: string) => known[(braced ?? bare)!] ?? whole,
  );
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
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const set = name === 'env' ? assignment(arg) : undefined;
    if (set) {
      nextEnv[set.name] = set.value;
      continue;
    }
    const base = baseName(arg);
    if (COMPONENTS[base] || WRAPPERS.has(base) || SHELLS.has(base)) {
      return unwrap({ ...at, argv: argv.slice(i), env: nextEnv, wrappers: [...wrappers, name], origin: at.origin.slice(i) }, depth + 1, known);
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
  for (const words of splitCommands(script)) {
    const commandEnv = { ...env };
    let start = 0;
    for (; start < words.length; start++) {
      const set = assignment(words[start]!.text);
      if (!set) break;
      commandEnv[set.name] = set.value;
    }
    const rest = words.slice(start).map((w) => {
      if (!w.expands) return w;
      const text = expand(w.text, known);
      return { text, expands: /\$/.test(text) };
    });
    const scriptOrigin = at.origin[dashC + 1]!;
    const found = unwrap(
      {
        argv: rest.map((w) => w.text),
        env: commandEnv,
        wrappers: [...wrappers, label],
        // A whole word that is an expansion may stand for any number of flags.
        unexpanded: rest.filter((w) => w.expands && /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*|@)$/.test(w.text)).map((w) => w.text),
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
