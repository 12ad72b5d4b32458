import type { ClusterSummary, MergedSource, ScanResult, Selection } from '../model.js';
import { shellQuoteIfNeeded } from '../shell-quote.js';
import { expiredWaiverNote } from './finding-notes.js';

// What a report does not cover, in plain words, for every report to say where its reader looks
// first: a scan --limit, --check or --skip narrowed, an interrupted one, a report merged from
// several scans, a baseline comparison that left hosts and controls out. A report that reads
// compliant but silently covers half the fleet is a wrong PASS.
//
// The words are raw text: they quote result files (a --limit, file and host names), which are
// untrusted; each writer escapes them for its medium.

export type NoteKind = 'interrupted' | 'partial-scan' | 'merged' | 'not-compared' | 'expired-waivers';

export interface CoverageNote {
  kind: NoteKind;
  /** A heading: `Partial scan`. */
  title: string;
  /** What it means for the reader, to go with the heading. */
  meaning: string;
  /** The note on one line: `Partial scan: 6 hosts and 12 controls left out (--limit, --check)`. */
  summary: string;
  /** Each thing left out, a statement of its own. */
  details: string[];
}

/** Names shown in a list before `… and N more`: the JSON result has them all. */
const NAMES_SHOWN = 10;

/** The notes a report of `result` starts with, in this order; none for a whole, uninterrupted scan. */
export function coverageNotes(result: ScanResult): CoverageNote[] {
  return [interruptedNote(result), partialScanNote(result), mergedNote(result), notComparedNote(result)].filter((note) => note !== undefined);
}

/** The notes and then the waivers that expired: for the reports with no section of their own for those (the interactive report, JUnit). */
export function coverageAndWaiverNotes(result: ScanResult): CoverageNote[] {
  const expired = expiredWaiversNote(result);
  return expired === undefined ? coverageNotes(result) : [...coverageNotes(result), expired];
}

function expiredWaiversNote(result: ScanResult): CoverageNote | undefined {
  const expired = result.expiredWaivers ?? [];
  if (expired.length === 0) return undefined;
  return {
    kind: 'expired-waivers',
    title: 'Expired waivers',
    meaning: 'no longer applied: the findings they covered count again; renew or remove them',
    summary: `${count(expired.length, 'waiver')} expired, no longer applied`,
    details: expired.map(expiredWaiverNote),
  };
}

/** `2 of 3 hosts scanned; cp3 left out by --limit`, for a cluster --limit scanned in part. */
export function clusterCoverage(cluster: ClusterSummary, scanned: number): string | undefined {
  const left = cluster.notScanned ?? [];
  if (left.length === 0) return undefined;
  return `${scanned} of ${count(scanned + left.length, 'host')} scanned; ${listed(left)} left out by --limit`;
}

/**
 * How many hosts of the inventory the report leaves out; undefined when a merged report cannot
 * tell (its parts scanned different inventories, some with --limit).
 */
export function hostsLeftOut(result: ScanResult): number | undefined {
  if (result.mergedFrom === undefined) return result.selection?.hostsLeftOut ?? 0;
  return mergedCoverage(result.mergedFrom, result.hosts.length)?.leftOut;
}

/** The rules --check and --skip left out (of a merged report: left out by at least one of its scans, so not checked on all hosts). */
export function rulesLeftOut(result: ScanResult): string[] {
  const selections = result.mergedFrom === undefined ? [result.selection] : result.mergedFrom.map((source) => source.selection);
  return [...new Set(selections.flatMap((selection) => selection?.rulesLeftOut ?? []))];
}

function interruptedNote(result: ScanResult): CoverageNote | undefined {
  if (result.interrupted !== true) return undefined;
  const unfinished = result.hosts.filter((host) => host.errorKind === 'not-scanned').length;
  return {
    kind: 'interrupted',
    title: 'Interrupted',
    meaning: 'stopped by SIGINT or SIGTERM before it finished',
    summary: unfinished === 0 ? 'Interrupted' : `Interrupted: ${count(unfinished, 'host')} not scanned`,
    details: unfinished === 0 ? [] : [`${count(unfinished, 'host')} not finished: not audited, every control of theirs ERROR`],
  };
}

function partialScanNote(result: ScanResult): CoverageNote | undefined {
  const { selection } = result;
  if (selection === undefined) return undefined;
  const details = selectionDetails(selection, 'the inventory');
  if (details.length === 0) return undefined;
  const hosts = selection.hostsLeftOut > 0 ? [count(selection.hostsLeftOut, 'host')] : [];
  const rules = selection.rulesLeftOut.length > 0 ? [count(selection.rulesLeftOut.length, 'control')] : [];
  return {
    kind: 'partial-scan',
    title: 'Partial scan',
    meaning: 'this report says nothing about what it left out',
    summary: `Partial scan: ${[...hosts, ...rules].join(' and ')} left out (${optionsUsed(selection).join(', ')})`,
    details,
  };
}

/** `--limit prod-dc1 left out 12 hosts of the inventory`, `--skip 2.6 left out 1 control: etcd-no-peer-auto-tls`. */
function selectionDetails(selection: Selection, inventory: string): string[] {
  const details: string[] = [];
  if (selection.hostsLeftOut > 0) {
    const limit = selection.limit === undefined ? '--limit' : `--limit ${shellQuoteIfNeeded(selection.limit)}`;
    details.push(`${limit} left out ${count(selection.hostsLeftOut, 'host')} of ${inventory}`);
  }
  const rules = selection.rulesLeftOut;
  if (rules.length > 0) {
    const given = [
      selection.check && `--check ${shellQuoteIfNeeded(selection.check.join(','))}`,
      selection.skip && `--skip ${shellQuoteIfNeeded(selection.skip.join(','))}`,
    ].filter((option) => option !== undefined);
    details.push(`${given.length === 0 ? '--check or --skip' : given.join(' and ')} left out ${count(rules.length, 'control')}: ${listed(rules)}`);
  }
  return details;
}

function optionsUsed(selection: Selection): string[] {
  const options: string[] = [];
  if (selection.hostsLeftOut > 0) options.push('--limit');
  if (selection.rulesLeftOut.length > 0) {
    if (selection.check) options.push('--check');
    if (selection.skip) options.push('--skip');
  }
  return options;
}

function mergedNote(result: ScanResult): CoverageNote | undefined {
  const sources = result.mergedFrom;
  if (sources === undefined || sources.length === 0) return undefined;
  const details = sources.map((source) =>
    [
      `${source.file}: inventory ${source.inventory}, ${count(source.hosts, 'host')}, scanned ${shortTime(source.startedAt)}`,
      ...selectionDetails(source.selection ?? EVERYTHING, 'its inventory'),
    ].join('; '),
  );
  const coverage = mergedCoverage(sources, result.hosts.length);
  let together: string | undefined;
  if (coverage === undefined) {
    together = 'whether together they cover their inventories cannot be told: they scanned different inventories, some with --limit';
  } else if (coverage.inventory !== undefined) {
    together =
      coverage.leftOut === 0
        ? `together they scan all ${count(coverage.size, 'host')} of ${coverage.inventory}`
        : `together they scan ${coverage.size - coverage.leftOut} of the ${count(coverage.size, 'host')} of ${coverage.inventory}: ${count(coverage.leftOut, 'host')} in none of them`;
  }
  const gap = coverage === undefined ? '; hosts left out unknown' : coverage.leftOut > 0 ? `; ${count(coverage.leftOut, 'host')} in none of them` : '';
  return {
    kind: 'merged',
    title: `Merged from ${count(sources.length, 'result')}`,
    meaning: 'one report of several scans, each with what it covered',
    summary: `Merged from ${count(sources.length, 'result')}: ${listed(sources.map((source) => source.file))}${gap}`,
    details: together === undefined ? details : [...details, together],
  };
}

const EVERYTHING: Selection = { hostsLeftOut: 0, rulesLeftOut: [] };

interface MergedCoverage {
  leftOut: number;
  /** Set when every part scanned this one inventory: the count is then of its hosts. */
  inventory?: string;
  size: number;
}

/**
 * What the parts of a merged report leave out together, when the results tell: nothing when no
 * part left out a host; when all scanned the same inventory and agree on its size, its hosts that
 * none of them scanned (`hosts` of the merged report, each host once). Undefined otherwise.
 */
function mergedCoverage(sources: readonly MergedSource[], hosts: number): MergedCoverage | undefined {
  const sizes = new Set(sources.map((source) => source.hosts + (source.selection?.hostsLeftOut ?? 0)));
  const inventories = new Set(sources.map((source) => source.inventory));
  const [size] = sizes;
  const [inventory] = inventories;
  if (inventories.size === 1 && sizes.size === 1 && size !== undefined && inventory !== undefined && size >= hosts) {
    return { leftOut: size - hosts, inventory, size };
  }
  if (sources.every((source) => (source.selection?.hostsLeftOut ?? 0) === 0)) return { leftOut: 0, size: hosts };
  return undefined;
}

function notComparedNote(result: ScanResult): CoverageNote | undefined {
  const gaps = result.baseline?.notCompared;
  if (gaps === undefined) return undefined;
  const sides = [
    { names: gaps.hostsOnlyNow, noun: 'host', where: 'only in this scan' },
    { names: gaps.hostsOnlyBefore, noun: 'host', where: 'only in the baseline' },
    { names: gaps.rulesOnlyNow, noun: 'control', where: 'only in this scan' },
    { names: gaps.rulesOnlyBefore, noun: 'control', where: 'only in the baseline' },
  ]
    .filter(({ names }) => names.length > 0)
    .map(({ names, noun, where }) => ({ names, what: `${count(names.length, noun)} ${where}` }));
  if (sides.length === 0) return undefined;
  return {
    kind: 'not-compared',
    title: 'Not compared with the baseline',
    meaning: 'neither new nor resolved: only what both scans covered is compared',
    summary: `Not compared with the baseline: ${sides.map(({ what }) => what).join(', ')}`,
    details: sides.map(({ names, what }) => `${what}: ${listed(names)}`),
  };
}

/** `2026-12-01 10:00 UTC` from an ISO time; any other text as it is. */
function shortTime(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a, b, c`, or the first ones and `… and 12 more`. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown}, … and ${names.length - NAMES_SHOWN} more` : shown;
}
