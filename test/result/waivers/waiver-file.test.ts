import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, loadWaiverFile, parseWaiverFile, WaiverFileError } from '../../../src/result/waivers/waiver-file.js';
import type { WaiverFileOptions } from '../../../src/result/waivers/waiver-file.js';

function issuesOf(text: string, options: WaiverFileOptions = {}): string[] {
  try {
    parseWaiverFile(text, 'waivers.yaml', options);
  } catch (error) {
    if (error instanceof WaiverFileError) return error.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a WaiverFileError');
}

describe('parseWaiverFile', () => {
  it('reads waivers by rule id and by control number, with their patterns and where they are written', () => {
    const text = [
      'waivers:',
      '  - rule: etcd-peer-client-cert-auth',
      '    cluster: staging',
      '    justification: "  isolated VLAN (CHG-1)  "',
      '    expires: 2026-12-31',
      '  - rule: "2.10"',
      '    host: lab-*',
      '    cluster: "l?b"',
      '    justification: rebuilt nightly',
      "    expires: '2027-01-15'",
      '',
    ].join('\n');
    expect(parseWaiverFile(text, 'waivers.yaml')).toEqual([
      { rule: 'etcd-peer-client-cert-auth', cluster: 'staging', justification: 'isolated VLAN (CHG-1)', expires: '2026-12-31', source: 'waivers.yaml:2' },
      { rule: '2.10', host: 'lab-*', cluster: 'l?b', justification: 'rebuilt nightly', expires: '2027-01-15', source: 'waivers.yaml:6' },
    ]);
  });

  it('accepts an explicitly empty list', () => {
    expect(parseWaiverFile('waivers: []\n', 'w.yaml')).toEqual([]);
  });

  it('reports every problem with line and column, in file order', () => {
    const text = [
      'waivers:',
      '  - rule: 2.10', // a number: YAML would read 2.1
      '    host: cp1',
      '    justification: x',
      '    expires: 2026-02-30', // no such day
      '  - rule: Etcd_Client',
      '    justificaton: typo',
      '    expires: 31/12/2026',
      '  - just a string',
      '',
    ].join('\n');
    expect(issuesOf(text)).toEqual([
      '2:11: write control numbers as text, in quotes: rule: "2.10"',
      '5:14: expires must be a date written YYYY-MM-DD, such as 2026-12-31, got the text "2026-02-30"',
      '6:5: a waiver needs host: or cluster: (a name or a glob such as "stage-*"; "*" for every host)',
      '6:5: a waiver needs a justification: why the risk is accepted, and who accepted it',
      '6:11: rule must be a rule id such as etcd-client-cert-auth or a control number such as "2.2", got "Etcd_Client"',
      '7:5: unknown key "justificaton" in a waiver; allowed keys: rule, host, cluster, justification, expires',
      '8:14: expires must be a date written YYYY-MM-DD, such as 2026-12-31, got the text "31/12/2026"',
      '9:5: a waiver must be a mapping with rule, host or cluster, justification and expires, got the text "just a string"',
    ]);
  });

  it('refuses a waiver without expiry or rule, an empty pattern, and an empty justification', () => {
    const text = ['waivers:', '  - host: ""', '    justification:', ''].join('\n');
    expect(issuesOf(text)).toEqual([
      '2:5: missing rule: the rule id (e.g. etcd-client-cert-auth) or CIS control number (e.g. "2.2") this waiver accepts',
      '2:5: a waiver needs expires: YYYY-MM-DD, the last day it applies; accepted risks are reviewed, not forgotten',
      '2:11: host must not be empty; write "*" to mean every host',
      '3:5: a waiver needs a justification: why the risk is accepted, and who accepted it',
    ]);
  });

  it('refuses an unknown rule id when the known ones are given, so that a typo does not silently cover nothing', () => {
    const text = 'waivers:\n  - { rule: etcd-client-cert-aut, host: "*", justification: j, expires: 2026-12-31 }\n';
    expect(issuesOf(text, { knownRuleIds: ['etcd-client-cert-auth', 'etcd-no-auto-tls'] })).toEqual([
      '2:13: unknown rule "etcd-client-cert-aut"; fleetbench rules lists the rules: etcd-client-cert-auth, etcd-no-auto-tls',
    ]);
    expect(parseWaiverFile(text, 'w.yaml')).toHaveLength(1);
  });

  it('explains an empty file, a missing list and invalid YAML', () => {
    expect(issuesOf('')).toEqual(['1:1: the waiver file is empty; list accepted risks under waivers: (or write waivers: [] for none)']);
    expect(issuesOf('waivers:\n')).toEqual(['1:9: waivers must be a list of waivers (lines starting with "- rule:"), got nothing']);
    expect(issuesOf('waiver: []\n')).toEqual([
      '1:1: unknown key "waiver" in the waiver file; allowed keys: waivers',
      '1:1: missing waivers: list the accepted risks under waivers:',
    ]);
    expect(issuesOf('waivers: [\n')[0]).toMatch(/^2:1: invalid YAML: /);
  });
});

describe('loadWaiverFile', () => {
  it('reads the shipped example, and names the file when it cannot be read', async () => {
    const example = await loadWaiverFile('inventory/waivers.example.yaml');
    expect(example.map((w) => w.rule)).toEqual(['etcd-peer-client-cert-auth', '2.3']);
    expect(example[0]!.source).toMatch(/^inventory\/waivers\.example\.yaml:\d+$/);

    const dir = await mkdtemp(join(tmpdir(), 'fleetbench-waivers-'));
    try {
      const missing = join(dir, 'nope.yaml');
      await expect(loadWaiverFile(missing)).rejects.toThrow(`${missing}:0:0: cannot read the waiver file: ENOENT`);
      const broken = join(dir, 'broken.yaml');
      await writeFile(broken, 'waivers:\n  - rule: x\n');
      await expect(loadWaiverFile(broken)).rejects.toBeInstanceOf(WaiverFileError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('isCalendarDate', () => {
  it('accepts real days only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});
