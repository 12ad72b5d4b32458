import type { BenchmarkVersion } from '../benchmarks.js';
import type { Rule } from '../rule-file.js';
import { checkFile, maxMode, octal } from './files.js';
import { checkFlags } from './flags.js';
import { checkMembership } from './membership.js';
import { checkUniqueCa } from './unique-ca.js';
import type { CheckInput, Verdict } from './verdict.js';

// Every kind of check a rule file can name, in one table: what its rule must give, what it expects
// in words, and how it judges one configuration. A new kind of check is a new entry here and its
// function in this folder; rule-file.ts and evaluate.ts read the table.

export type CheckField = 'settings' | 'file' | 'maxMode' | 'owners';

interface CheckKind {
  /** What the rule file must give for this kind. */
  needs: readonly CheckField[];
  /** What a rule of this kind requires, as a finding's `expected` says it. */
  expected(rule: Rule, benchmark: BenchmarkVersion): string;
  evaluate(input: CheckInput): Verdict;
}

const flags = (rule: Rule) => rule.check.settings.map((key) => `--${key}`);

export const CHECKS = {
  /** The settings must be explicitly true (2.2, 2.5). */
  'flag-true': {
    needs: ['settings'],
    expected: (rule) =>
      flags(rule)
        .map((flag) => `${flag}=true`)
        .join(' and '),
    evaluate: checkFlags,
  },
  /** Absent or false passes (2.3, 2.6). */
  'flag-not-true': {
    needs: ['settings'],
    expected: (rule) =>
      flags(rule)
        .map((flag) => `${flag} absent or false`)
        .join(' and '),
    evaluate: checkFlags,
  },
  /** Every setting must have a value (2.1, 2.4, 1.2.x). */
  'flags-set': { needs: ['settings'], expected: (rule) => `${flags(rule).join(' and ')} set`, evaluate: checkFlags },
  'file-mode': { needs: ['file', 'maxMode'], expected: (rule, benchmark) => `mode ${octal(maxMode(rule, benchmark))} or stricter`, evaluate: checkFile },
  'file-owner': { needs: ['file', 'owners'], expected: (rule) => `owned by ${(rule.check.owners ?? []).join(' or ')}`, evaluate: checkFile },
  'unique-ca': { needs: [], expected: () => "etcd's --trusted-ca-file distinct from kube-apiserver's --client-ca-file", evaluate: checkUniqueCa },
  'cluster-membership': { needs: [], expected: () => 'the inventory lists exactly the members of the etcd cluster', evaluate: checkMembership },
} satisfies Record<string, CheckKind>;

export type CheckType = keyof typeof CHECKS;

export function isCheckType(type: string): type is CheckType {
  return Object.hasOwn(CHECKS, type);
}
