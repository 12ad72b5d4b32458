import type { Evidence, FileFact } from '../../model.js';
import { dataDirectory } from '../../effective/host-components.js';
import type { BenchmarkVersion } from '../benchmarks.js';
import type { Rule } from '../rule-file.js';
import type { CheckInput, Verdict } from './verdict.js';

// File controls: the etcd pod specification file (1.1.7, 1.1.8) and etcd's data directory
// (1.1.11, 1.1.12), found from the configuration the instance really runs with.

type Located = { path: string; evidence: Evidence[] } | { verdict: Verdict };

export function checkFile(input: CheckInput): Verdict {
  const located = locate(input);
  if ('verdict' in located) return located.verdict;
  const { path, evidence } = located;
  const fact = input.snapshot.files[path];
  const problem = missing(path, fact);
  if (problem) return { status: 'ERROR', reason: problem, evidence, actual: 'unknown', values: `${path}=?` };
  const { rule } = input;
  const stat: Evidence = { source: `stat ${path}`, key: rule.check.type === 'file-mode' ? 'mode' : 'owner:group', value: '' };

  if (rule.check.type === 'file-mode') {
    const max = maxMode(rule, input.benchmark);
    const mode = fact!.mode!;
    stat.value = octal(mode);
    const extra = mode & ~max & 0o7777;
    return {
      status: extra === 0 ? 'PASS' : 'FAIL',
      reason:
        extra === 0
          ? `${path} has mode ${octal(mode)}, ${mode === max ? 'as required' : `stricter than ${octal(max)}`}`
          : `${path} has mode ${octal(mode)}, more permissive than ${octal(max)} (extra permissions ${octal(extra)})`,
      evidence: [...evidence, stat],
      actual: `mode ${octal(mode)}`,
      values: `${path}=${octal(mode)}`,
    };
  }
  const owner = `${fact!.owner ?? fact!.uid}:${fact!.group ?? fact!.gid}`;
  stat.value = `${owner} (uid ${fact!.uid}, gid ${fact!.gid})`;
  const allowed = rule.check.owners ?? [];
  const ok = allowed.includes(owner);
  return {
    status: ok ? 'PASS' : 'FAIL',
    reason: ok ? `${path} is owned by ${owner}` : `${path} is owned by ${owner}, not ${allowed.join(' or ')}`,
    evidence: [...evidence, stat],
    actual: `owned by ${owner}`,
    values: `${path}=${owner}`,
  };
}

function locate({ rule, config, instance }: CheckInput): Located {
  if (rule.check.file === 'etcd-manifest') {
    if (instance.manifest) {
      const how = instance.manifestUnread
        ? `taken by its name as etcd's manifest; its content could not be read (${instance.manifestUnread})`
        : 'static pod manifest defining etcd';
      return { path: instance.manifest, evidence: [{ source: how, value: instance.manifest }] };
    }
    // Absence only on a look that could have seen the file (discover.ts manifestAbsence).
    const absence = instance.manifestAbsence ?? { known: false, reason: 'no static pod manifest was found for etcd' };
    return {
      verdict: absence.known
        ? {
            status: 'NOT_APPLICABLE',
            reason: `${absence.reason}: there is no etcd pod specification file on this host`,
            evidence: [],
            actual: 'no etcd pod specification file',
            values: 'no-manifest',
          }
        : { status: 'ERROR', reason: absence.reason, evidence: [], actual: 'etcd pod specification file unknown', values: 'manifest=?' },
    };
  }

  const dir = dataDirectory(config, instance);
  if ('unknown' in dir) return { verdict: { status: 'ERROR', reason: dir.unknown, evidence: dir.evidence, actual: 'data dir unknown', values: dir.values } };
  return dir;
}

function missing(path: string, fact: FileFact | undefined): string | undefined {
  if (!fact) return `${path} was not examined by the probe`;
  if (fact.unreadable && !fact.exists) return `cannot see ${path}: ${fact.unreadable}`;
  if (!fact.exists) return `${path} does not exist on the host`;
  if (fact.mode === undefined) return `cannot stat ${path}: ${fact.unreadable ?? 'no metadata'}`;
  return undefined;
}

/** The loosest mode a file-mode rule allows in this benchmark. */
export function maxMode(rule: Rule, benchmark: BenchmarkVersion): number {
  return rule.check.maxMode?.[benchmark] ?? 0;
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
