// The waiver file: accepted risks, written by people who own them. See inventory/waivers.example.yaml.
//
//   waivers:
//     - rule: etcd-peer-client-cert-auth   # a rule id, or a CIS control number as text: "2.5"
//       cluster: staging                   # and/or host: "stage-node*" (globs: * and ?)
//       justification: peers talk over a dedicated VLAN until the CA rollout (CHG-1234)
//       expires: 2026-12-31                # the last day the waiver applies
//
// A waiver widens what passes an audit, so the loader is strict: every problem is reported with
// file, line and column, and an unknown key or a waiver without scope or expiry is an error
// rather than something silently ignored.

import { isMap, isScalar, isSeq } from 'yaml';
import type { LineCounter } from 'yaml';
import type { Waiver } from '../../model.js';
import { FileIssuesError } from '../../yaml/file-issues.js';
import { START_OF_FILE } from '../../yaml/issue-list.js';
import type { Located } from '../../yaml/issue-list.js';
import { parseUserYaml, readUserFile } from '../../yaml/user-file.js';
import { describe, follow, isEmpty, readMapping, readText } from '../../yaml/yaml-read.js';
import type { Field, ValueNode, YamlReader } from '../../yaml/yaml-read.js';

/** One accepted risk as written in the file. */
export interface WaiverEntry extends Waiver {
  /** A rule id (`etcd-client-cert-auth`) or a CIS control number in the scanned benchmark (`2.2`). */
  rule: string;
  /** Glob on the host name; when both patterns are given, a finding must match both. */
  host?: string;
  /** Glob on the cluster name. */
  cluster?: string;
}

export interface WaiverFileOptions {
  /**
   * Rule ids that exist. When given, a waiver naming another rule id is an error: a typo would
   * otherwise leave the waiver silently covering nothing.
   */
  knownRuleIds?: readonly string[];
}

/** A waiver file that cannot be used; the CLI exits 65 as for other invalid input files. */
export class WaiverFileError extends FileIssuesError {
  override readonly name = 'WaiverFileError';
  override readonly what = 'invalid waiver file';
}

const TOP_KEYS = ['waivers'];
const WAIVER_KEYS = ['rule', 'host', 'cluster', 'justification', 'expires'];
const CONTROL_NUMBER = /^\d+(\.\d+)*$/;
const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Reader extends YamlReader {
  file: string;
  lineCounter: LineCounter;
  options: WaiverFileOptions;
}

/** Parses a waiver file. Throws `WaiverFileError` listing every problem found. */
export function parseWaiverFile(text: string, file: string, options: WaiverFileOptions = {}): WaiverEntry[] {
  const { doc, issues, lineCounter } = parseUserYaml(text, file, (found) => new WaiverFileError(found));
  const r: Reader = { doc, issues, file, lineCounter, options };
  const root = follow(r, doc.contents);
  const waivers = readWaiverList(r, root);
  issues.throwIfAny();
  return waivers;
}

/** Reads and parses a waiver file. Throws `WaiverFileError`, also when the file cannot be read. */
export async function loadWaiverFile(path: string, options: WaiverFileOptions = {}): Promise<WaiverEntry[]> {
  const text = await readUserFile(path, 'the waiver file', (found) => new WaiverFileError(found));
  return parseWaiverFile(text, path, options);
}

function readWaiverList(r: Reader, root: ValueNode | null): WaiverEntry[] {
  if (isEmpty(root)) {
    r.issues.add(root, 'the waiver file is empty; list accepted risks under waivers: (or write waivers: [] for none)', START_OF_FILE);
    return [];
  }
  const top = readMapping(r, root, START_OF_FILE, 'the waiver file', TOP_KEYS);
  if (top === undefined) return [];
  const list = top.get('waivers');
  if (list === undefined) {
    r.issues.add(root, 'missing waivers: list the accepted risks under waivers:', START_OF_FILE);
    return [];
  }
  if (!isSeq(list.value)) {
    r.issues.add(list.at, `waivers must be a list of waivers (lines starting with "- rule:"), got ${describe(list.value)}`);
    return [];
  }
  return list.value.items.flatMap((item) => {
    const waiver = readWaiver(r, follow(r, item), list.at);
    return waiver === undefined ? [] : [waiver];
  });
}

function readWaiver(r: Reader, node: ValueNode | null, listAt: Located): WaiverEntry | undefined {
  if (!isMap(node)) {
    r.issues.add(node, `a waiver must be a mapping with rule, host or cluster, justification and expires, got ${describe(node)}`, listAt);
    return undefined;
  }
  const fields = readMapping(r, node, node, 'a waiver', WAIVER_KEYS);
  if (fields === undefined) return undefined;
  const rule = readRule(r, fields.get('rule'), node);
  const host = readPattern(r, fields.get('host'));
  const cluster = readPattern(r, fields.get('cluster'));
  if (!fields.has('host') && !fields.has('cluster')) {
    r.issues.add(node, 'a waiver needs host: or cluster: (a name or a glob such as "stage-*"; "*" for every host)');
  }
  const justification = readJustification(r, fields.get('justification'), node);
  const expires = readExpiry(r, fields.get('expires'), node);
  if (rule === undefined || justification === undefined || expires === undefined) return undefined;
  const entry: WaiverEntry = { rule, justification, expires, source: `${r.file}:${r.lineCounter.linePos(node.range?.[0] ?? 0).line}` };
  if (host !== undefined) entry.host = host;
  if (cluster !== undefined) entry.cluster = cluster;
  return entry;
}

function readRule(r: Reader, field: Field | undefined, waiver: Located): string | undefined {
  if (field === undefined) {
    r.issues.add(waiver, 'missing rule: the rule id (e.g. etcd-client-cert-auth) or CIS control number (e.g. "2.2") this waiver accepts');
    return undefined;
  }
  // YAML reads 2.10 as the number 2.1: a control number must be text to survive.
  if (isScalar(field.value) && typeof field.value.value === 'number') {
    r.issues.add(field.at, `write control numbers as text, in quotes: rule: "${field.value.source ?? String(field.value.value)}"`);
    return undefined;
  }
  const rule = readText(r, field);
  if (rule === undefined) return undefined;
  if (CONTROL_NUMBER.test(rule)) return rule;
  if (!RULE_ID.test(rule)) {
    r.issues.add(field.at, `rule must be a rule id such as etcd-client-cert-auth or a control number such as "2.2", got ${JSON.stringify(rule)}`);
    return undefined;
  }
  const known = r.options.knownRuleIds;
  if (known !== undefined && !known.includes(rule)) {
    r.issues.add(field.at, `unknown rule ${JSON.stringify(rule)}; fleetbench rules lists the rules: ${known.join(', ')}`);
    return undefined;
  }
  return rule;
}

function readPattern(r: Reader, field: Field | undefined): string | undefined {
  if (field === undefined) return undefined;
  const pattern = readText(r, field);
  if (pattern !== undefined && pattern.trim() === '') r.issues.add(field.at, `${field.name} must not be empty; write "*" to mean every ${field.name}`);
  return pattern;
}

function readJustification(r: Reader, field: Field | undefined, waiver: Located): string | undefined {
  if (field === undefined || isEmpty(field.value)) {
    r.issues.add(field?.key ?? waiver, 'a waiver needs a justification: why the risk is accepted, and who accepted it');
    return undefined;
  }
  return readText(r, field)?.trim();
}

function readExpiry(r: Reader, field: Field | undefined, waiver: Located): string | undefined {
  if (field === undefined) {
    r.issues.add(waiver, 'a waiver needs expires: YYYY-MM-DD, the last day it applies; accepted risks are reviewed, not forgotten');
    return undefined;
  }
  const value = isScalar(field.value) ? field.value.value : undefined;
  const text = typeof value === 'string' ? value : undefined;
  if (text === undefined || !isCalendarDate(text)) {
    r.issues.add(field.at, `expires must be a date written YYYY-MM-DD, such as 2026-12-31, got ${describe(field.value)}`);
    return undefined;
  }
  return text;
}

/** YYYY-MM-DD naming a day that exists (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
