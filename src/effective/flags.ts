import type { Evidence } from '../model.js';
import type { Setting } from './settings.js';
import { isQuoted, parseGoBool, unquote } from './values.js';

// Reads command-line flags the way the component does. etcd uses Go's `flag` package:
// `-name`, `--name`, `-name=value`, `--name=value`; `--name value` only for non-boolean flags;
// a bare boolean means true; the last occurrence wins; parsing stops at the first non-flag word.
// kube-apiserver uses pflag, which reads the same forms for the flags fleetbench checks.
// Where a command line could not start the component (a boolean written `--auto-tls false`,
// literal quotes around a value, a stray word), the value the author evidently meant is read and
// the setting is marked `rejected`, so a verdict never silently rests on an impossible command line.

export interface ParsedFlags {
  settings: Map<string, Setting>;
  /** Words that are neither flags nor flag values. Go's flag package stops at the first one. */
  strays: string[];
}

export interface FlagSource {
  /** Where argv[i] came from, e.g. `process 1795 command line` or `/etc/kubernetes/manifests/etcd.yaml line 14`. */
  describe(index: number): string;
  /** The component that reads these flags, for messages. */
  component: string;
  /** Flags that are booleans for this component. */
  booleans: ReadonlySet<string>;
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

export function parseFlags(argv: readonly string[], source: FlagSource): ParsedFlags {
  const settings = new Map<string, Setting>();
  const strays: string[] = [];

  const record = (key: string, written: string, value: string, index: number, rejected?: string) => {
    const evidence: Evidence = { source: source.describe(index), key: `--${key}`, value: written };
    const previous = settings.get(key);
    const setting: Setting = { key, value, evidence, overridden: [] };
    if (rejected) setting.rejected = rejected;
    if (previous) setting.overridden = [...previous.overridden, previous.evidence];
    settings.set(key, setting);
  };

  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      strays.push(...argv.slice(i + 1));
      break;
    }
    const match = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match) {
      strays.push(arg);
      continue;
    }
    const key = match[1]!;
    const inline = match[2];
    const isBool = source.booleans.has(key);

    if (inline !== undefined) {
      record(key, inline, unquote(inline), i, quotedProblem(key, inline, source.component));
      continue;
    }
    const next = argv[i + 1];
    if (isBool) {
      if (next !== undefined && parseGoBool(unquote(next)) !== undefined) {
        // `--auto-tls false`: Go reads a bare --auto-tls (true) and stops at "false", so the
        // component exits. Read what was meant, and say the command line cannot start it.
        record(
          key,
          next,
          unquote(next),
          i + 1,
          `${source.component} does not accept a space between a boolean flag and its value: ` +
            `it reads "--${key} ${next}" as --${key}=true followed by a stray "${next}" and refuses to start; ` +
            `write --${key}=${unquote(next)}`,
        );
        i += 1;
      } else {
        record(key, '', 'true', i);
      }
      continue;
    }
    if (next === undefined || next.startsWith('-')) {
      record(key, '', '', i, `--${key} has no value`);
      continue;
    }
    record(key, next, unquote(next), i + 1, quotedProblem(key, next, source.component));
    i += 1;
  }
  return { settings, strays };
}

function quotedProblem(key: string, written: string, component: string): string | undefined {
  if (!isQuoted(written)) return undefined;
  return (
    `the quotes in --${key}=${written} reach ${component} literally (no shell removes them, as in a ` +
    `pod manifest's command list), so ${component} would not accept it; write --${key}=${unquote(written)}`
  );
}
