import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/rule-file.js';
import type { Rule } from '../../src/rules/rule-file.js';
import { ruleList, RuleSelectionError, selectRules } from '../../src/rules/rule-selection.js';
import { thrownMessage } from '../support/thrown.js';

let rules: Rule[];
beforeAll(async () => {
  rules = await loadRules();
});

const ids = (selected: Rule[]) => selected.map((rule) => rule.id).sort();

function refusal(check: string[] | undefined, skip: string[] = []): string {
  return thrownMessage(() => selectRules(rules, '1.12', { ...(check ? { check } : {}), skip }), RuleSelectionError);
}

describe('--check and --skip', () => {
  it('selects by rule id or by control number of the benchmark scanned', () => {
    expect(ids(selectRules(rules, '1.12', { check: ['2.2', 'etcd-cert-file'] }))).toEqual(['etcd-cert-file', 'etcd-client-cert-auth']);
    // apiserver-etcd-cafile is 1.2.26 in CIS 1.12 and 1.2.32 in CIS 1.6.
    expect(ids(selectRules(rules, '1.6', { check: ['1.2.32'] }))).toEqual(['apiserver-etcd-cafile']);
    expect(ids(selectRules(rules, '1.12', { check: ['1.2.26'] }))).toEqual(['apiserver-etcd-cafile']);
  });

  it('keeps every rule but those skipped, and skips after checking', () => {
    const rest = selectRules(rules, '1.12', { skip: ['etcd-cluster-membership', '1.1.11'] });
    expect(rest).toHaveLength(rules.length - 2);
    expect(ids(rest)).not.toContain('etcd-data-dir-perms');
    expect(ids(selectRules(rules, '1.12', { check: ['2.1', '2.2'], skip: ['2.2'] }))).toEqual(['etcd-cert-file']);
  });

  it('refuses entries that name no rule, with the nearest, and a choice that leaves none', () => {
    expect(refusal(['2.2', 'etcd-client-cert-auht'])).toBe(
      '--check "etcd-client-cert-auht": no rule has this id or CIS 1.12 control number; did you mean etcd-client-cert-auth? (fleetbench rules --benchmark 1.12 lists them)',
    );
    expect(refusal(undefined, ['1.2.32'])).toBe(
      '--skip "1.2.32": no rule has this id or CIS 1.12 control number; did you mean 1.2.23? (fleetbench rules --benchmark 1.12 lists them)',
    );
    expect(refusal(['2.1'], ['etcd-cert-file'])).toBe('--check and --skip leave no rule to evaluate');
  });

  it('reads comma-separated lists, spaces allowed', () => {
    expect(ruleList('2.1, etcd-cert-file,,2.2 ')).toEqual(['2.1', 'etcd-cert-file', '2.2']);
  });
});
