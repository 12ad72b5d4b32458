import type { Evidence, Status } from '../../model.js';
import { lookup } from '../../effective/host-components.js';
import type { CheckType } from './index.js';
import { parseGoBool } from '../../effective/values.js';
import type { CheckInput, Verdict } from './verdict.js';
import { combine } from './verdict.js';

// flag-true: the setting must be explicitly true (2.2, 2.5). flag-not-true: absent or false
// passes (2.3, 2.6). flags-set: every setting must have a value (2.1, 2.4, 1.2.x).

export function checkFlags({ rule, config }: CheckInput): Verdict {
  return combine(rule.check.settings.map((key) => flagVerdict(rule.check.type, key, config)));
}

function flagVerdict(type: CheckType, key: string, config: CheckInput['config']): Verdict {
  const verdict = judgeFlag(type, key, config);
  // What the component does with the setting beyond its value (etcd-tls.ts, config-file.ts).
  const notes = config.notes?.get(key) ?? [];
  return notes.length === 0 ? verdict : { ...verdict, reason: `${verdict.reason}; ${notes.join('; ')}` };
}

/** Occurrences the component does not read (a top-level TLS key of an etcd config file, flags beside --config-file), for the reason. */
function notRead(searched: Evidence[]): string {
  const ignored = searched.filter((e) => e.value !== null);
  return ignored.length === 0 ? '' : `; not in effect: ${ignored.map((e) => `${e.key ?? ''}=${e.value ?? ''} (${e.source})`).join('; ')}`;
}

function judgeFlag(type: CheckType, key: string, config: CheckInput['config']): Verdict {
  const found = lookup(config, key);
  const name = `--${key}`;
  if (found.state === 'unknown') {
    return {
      status: 'ERROR',
      reason: `cannot tell whether ${name} is set: ${found.reason}`,
      evidence: found.searched,
      actual: `${name} unknown`,
      values: `${key}=?`,
    };
  }
  if (found.state === 'unset') {
    const values = `${key}=<unset>`;
    const actual = `${name} not set`;
    const ignored = notRead(found.searched);
    if (type === 'flag-not-true')
      return { status: 'PASS', reason: `${name} is not set (it defaults to false)${ignored}`, evidence: found.searched, actual, values };
    const suffix = type === 'flag-true' ? ` (${config.component} defaults to false)` : '';
    return { status: 'FAIL', reason: `${name} is not set${suffix}${ignored}`, evidence: found.searched, actual, values };
  }

  const setting = found.setting;
  const evidence = [
    setting.evidence,
    ...setting.overridden.map((e) => ({ ...e, source: `${e.source} (overridden, not in effect)` })),
    ...config.searched(key).filter((e) => e.value !== null),
  ];
  const where = `${setting.evidence.key}${setting.evidence.value === '' ? '' : `=${setting.evidence.value}`} in ${setting.evidence.source}`;
  const values = `${key}=${setting.value}`;
  const actual = `${name}=${setting.evidence.value === '' && setting.value === 'true' ? 'true (bare flag)' : setting.evidence.value}`;
  let status: Status;
  let reason: string;
  if (type === 'flags-set') {
    status = setting.value === '' ? 'FAIL' : 'PASS';
    reason = setting.value === '' ? `${name} is set to nothing (${where})` : `${name} is set (${where})`;
  } else {
    const value = parseGoBool(setting.value);
    if (value === undefined) {
      return {
        status: 'WARN',
        reason: `${name} is ${JSON.stringify(setting.value)}, which ${config.component} does not accept as a boolean: it would refuse to start (${where})`,
        evidence,
        actual,
        values,
      };
    }
    const ok = type === 'flag-true' ? value : !value;
    status = ok ? 'PASS' : 'FAIL';
    reason = `${name} is ${value} (${where})`;
  }
  if (setting.rejected) {
    // The author's intent is read, but the component cannot start this way: a human must look.
    status = status === 'FAIL' ? 'FAIL' : 'WARN';
    reason += `; ${setting.rejected}`;
  }
  if (setting.ineffective) {
    // The component reads the value but does not act on it: a PASS would rest on nothing.
    status = status === 'FAIL' ? 'FAIL' : 'WARN';
    reason += `; but ${setting.ineffective}`;
  }
  if (setting.overridden.length > 0) reason += `; also set ${setting.overridden.length} more time(s) where it does not take effect`;
  return { status, reason, evidence, actual, values };
}
