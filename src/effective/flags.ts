import type { Evidence } from '../model.js';
import type { Setting } from './settings.js';
import type { Expansion } from './command.js';
import { isQuoted, parseGoBool, unquote } from './values.js';

// Reads command-line flags the way the component does. etcd uses Go's `flag` package:
// `-name`, `--name`, `-name=value`, `--name=value`; `--name value` only for non-boolean flags; a bare
// boolean means true; the last occurrence wins; parsing stops at the first non-flag word (or
// after `--`), and etcd refuses any word left over ("'%s' is not a valid flag", etcdmain/config.go
// parse). Go and pflag take the word after a non-boolean flag as its value even when it starts
// with `-`; fleetbench reads such a word as a flag instead, since its lists of booleans may miss one.
// kube-apiserver uses pflag through cobra, which reads flags after other words
// (interspersed) but refuses every non-empty word that is not a flag ("does not take any
// arguments", cmd/kube-apiserver/app/server.go NewAPIServerCommand Args).
// Where a command line could not start the component (a stray word, a boolean written
// `--auto-tls false`, literal quotes around a value), the value the author evidently meant is still
// read, and the refusal is reported, so a verdict never silently rests on an impossible command line.
// A word the model cannot evaluate (an Expansion) makes unknown what it could set.

export interface ParsedFlags {
  settings: Map<string, Setting>;
  /** Settings an expansion decides, so their value is unknown here, and why. */
  unknownKeys: Map<string, string>;
  /** Set when an expansion may stand for any flags: every setting not given after it is unknown. */
  opaque?: string;
  /** Why the component refuses this command line as a whole (a word that is not a flag), when it does. */
  refusal?: string;
}

export interface FlagSource {
  /** Where argv[i] came from, e.g. `process 1795 command line` or `/etc/kubernetes/manifests/etcd.yaml line 14`. */
  describe(index: number): string;
  /** The component that reads these flags, for messages. */
  component: string;
  /** Flags that are booleans for this component. */
  booleans: ReadonlySet<string>;
  /** Go's `flag` package (etcd) or cobra with pflag (kube-apiserver). */
  grammar: 'go-flag' | 'pflag';
  /** Words the model cannot evaluate. */
  expansions?: readonly Expansion[];
}

export const ETCD_BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'auto-tls',
  'peer-auto-tls',
  'client-cert-auth',
  'peer-client-cert-auth',
  'strict-reconfig-check',
  'enable-v2',
  'enable-pprof',
  'force-new-cluster',
  'debug',
  'version',
  'help',
  'pre-vote',
  'initial-election-tick-advance',
  'experimental-txn-mode-write-with-shared-buffer',
  'enable-grpc-gateway',
  'enable-log-rotation',
  'socket-reuse-port',
  'socket-reuse-address',
  'experimental-initial-corrupt-check',
  'experimental-enable-lease-checkpoint',
  'experimental-enable-lease-checkpoint-persist',
  'experimental-enable-distributed-tracing',
  'experimental-memory-mlock',
  'experimental-stop-grpc-service-on-defrag',
  'experimental-peer-skip-client-san-verification',
  'peer-skip-client-san-verification',
  'experimental-compact-hash-check-enabled',
  'unsafe-no-fsync',
  'log-rotation',
]);

export const APISERVER_BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'allow-privileged',
  'anonymous-auth',
  'profiling',
  'enable-bootstrap-token-auth',
  'enable-aggregator-routing',
  'enable-garbage-collector',
  'enable-priority-and-fairness',
  'enable-logs-handler',
  'logtostderr',
  'alsologtostderr',
  'contention-profiling',
  'audit-log-compress',
  'kubelet-https',
  'insecure-skip-tls-verify',
  'help',
  'version',
]);

const FLAG = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=([\s\S]*))?$/;

export function parseFlags(argv: readonly string[], source: FlagSource): ParsedFlags {
  const settings = new Map<string, Setting>();
  const unknownKeys = new Map<string, string>();
  const opaque: string[] = [];
  const strays: number[] = [];
  const expansions = new Map((source.expansions ?? []).map((e) => [e.index, e]));
  const refusals: string[] = [];

  const record = (key: string, written: string, value: string, index: number, rejected?: string) => {
    const evidence: Evidence = { source: source.describe(index), key: `--${key}`, value: written };
    const previous = settings.get(key);
    const setting: Setting = { key, value, evidence, overridden: [] };
    if (rejected) setting.rejected = rejected;
    if (previous) setting.overridden = [...previous.overridden, previous.evidence];
    settings.set(key, setting);
    unknownKeys.delete(key);
  };
  const valueUnknown = (key: string, word: Expansion) => {
    settings.delete(key);
    unknownKeys.set(key, `--${key} takes its value from ${word.text} (${source.describe(word.index)}), an expansion fleetbench cannot perform`);
  };
  // A word that may become any flags: what was set before it may be set again, what is absent may be set.
  const anyFlags = (word: Expansion) => {
    for (const [key, setting] of settings) {
      unknownKeys.set(key, `--${key}=${setting.evidence.value} (${setting.evidence.source}) comes before ${word.text}, which may set it again`);
    }
    settings.clear();
    opaque.push(word.text);
  };

  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const expansion = expansions.get(i);
    if (expansion) {
      const named = expansion.splits ? null : FLAG.exec(arg);
      if (named?.[2] !== undefined) valueUnknown(named[1]!, expansion);
      else anyFlags(expansion);
      continue;
    }
    if (arg === '--') {
      strays.push(...argv.slice(i + 1).map((_, j) => i + 1 + j));
      break;
    }
    const match = FLAG.exec(arg);
    if (!match) {
      // Go's flag package reads no further; the flags after it still tell what was meant.
      strays.push(i);
      continue;
    }
    const key = match[1]!;
    const inline = match[2];
    if (source.grammar === 'pflag' && !arg.startsWith('--') && !/^[vh]/.test(key)) {
      // pflag reads `-abc` as the shorthands a, b, c; kube-apiserver has only -v and -h.
      refusals.push(
        `kube-apiserver reads ${arg} as one-letter shorthand flags it does not have ("unknown shorthand flag", spf13/pflag parseShortArg): write --${key}`,
      );
    }
    const isBool = source.booleans.has(key);

    if (inline !== undefined) {
      record(key, inline, unquote(inline), i, quotedProblem(key, inline, source.component));
      continue;
    }
    const next = argv[i + 1];
    const nextExpansion = expansions.get(i + 1);
    if (isBool) {
      if (next !== undefined && !nextExpansion && parseGoBool(unquote(next)) !== undefined) {
        // `--auto-tls false`: Go reads a bare --auto-tls (true) and then the word "false", which is
        // not a flag, so the component exits. Read what was meant, and say the command line cannot start it.
        const why =
          `${source.component} does not accept a space between a boolean flag and its value: ` +
          `it reads "--${key} ${next}" as --${key}=true followed by a stray "${next}" and refuses to start; ` +
          `write --${key}=${unquote(next)}`;
        record(key, next, unquote(next), i + 1, why);
        refusals.push(why);
        i += 1;
      } else {
        record(key, '', 'true', i);
      }
      continue;
    }
    if (next === undefined) {
      record(key, '', '', i, `--${key} has no value`);
      refusals.push(`${source.component} refuses --${key} without a value at the end of the command line ("flag needs an argument")`);
      continue;
    }
    if (next.startsWith('-') && !nextExpansion) {
      // Go and pflag would take the next word as the value whatever it is, but a boolean missing
      // from the lists above would then swallow a real flag: the next word is read as a flag.
      record(key, '', '', i, `--${key} has no value`);
      continue;
    }
    i += 1;
    if (nextExpansion) {
      valueUnknown(key, nextExpansion);
      if (nextExpansion.splits) anyFlags(nextExpansion);
      continue;
    }
    record(key, next, unquote(next), i, quotedProblem(key, next, source.component));
  }
  // Words of unknown place may be anywhere, the last word too.
  for (const word of source.expansions ?? []) if (word.index >= argv.length) anyFlags(word);
  const refusal = strayRefusal(argv, strays, source);
  if (refusal) refusals.unshift(refusal);
  const parsed: ParsedFlags = { settings, unknownKeys };
  if (opaque.length > 0) parsed.opaque = `the command passes ${opaque.join(' ')} unexpanded, which may set further flags`;
  if (refusals.length > 0) parsed.refusal = refusals.join('; ');
  return parsed;
}

/** Why the words that are not flags keep the component from starting, if they do. */
function strayRefusal(argv: readonly string[], strays: number[], source: FlagSource): string | undefined {
  if (source.grammar === 'go-flag') {
    const first = strays[0];
    if (first === undefined) return undefined;
    return (
      `${source.component} refuses to start: ${JSON.stringify(argv[first])} (${source.describe(first)}) is not a flag, ` +
      `and Go's flag package stops at the first word that is not one; etcd then exits ("'%s' is not a valid flag", etcdmain/config.go parse)` +
      (argv.length - 1 > first ? ', without reading the flags after it' : '')
    );
  }
  // cobra's Args check of kube-apiserver lets empty words through.
  const words = strays.filter((i) => argv[i] !== '');
  if (words.length === 0) return undefined;
  return (
    `${source.component} refuses to start: ${words.map((i) => `${JSON.stringify(argv[i])} (${source.describe(i)})`).join(', ')} ` +
    `${words.length === 1 ? 'is not a flag' : 'are not flags'}, and it takes no other arguments ("does not take any arguments", ` +
    `cmd/kube-apiserver/app/server.go NewAPIServerCommand)`
  );
}

function quotedProblem(key: string, written: string, component: string): string | undefined {
  if (!isQuoted(written)) return undefined;
  return (
    `the quotes in --${key}=${written} reach ${component} literally (no shell removes them, as in a ` +
    `pod manifest's command list), so ${component} would not accept it; write --${key}=${unquote(written)}`
  );
}
