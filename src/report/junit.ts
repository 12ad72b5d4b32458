import type { FailOn } from '../status.js';
import { groupBy } from '../group-by.js';
import type { Finding, HostOutcome, ScanResult } from '../model.js';
import { clusterCoverage, coverageAndWaiverNotes } from './coverage.js';
import type { NoteKind } from './coverage.js';
import { evidenceLine, waiverNote } from './finding-notes.js';
import { safeBlock } from './terminal-text.js';

// JUnit XML for CI dashboards: one <testsuite> per host, one <testcase> per host and control.
//
// How verdicts map onto JUnit, which knows only pass, failure, error and skipped:
//   PASS           -> a passed test case
//   FAIL           -> <failure>, with expected, actual, evidence and remediation as its text
//   ERROR          -> <error>: the control could not be evaluated (host unreachable, unreadable file)
//   NOT_APPLICABLE -> <skipped>, with the reason
//   WARN           -> never a plain pass, which dashboards show green and so hide drift:
//                     <skipped> with `WARN: reason` by default (a human must look, but it does
//                     not fail the run, as with exit codes), <failure type="WARN"> under
//                     --fail-on warn (it fails the run); the details are in <system-out>
//   waived FAIL or WARN -> <skipped> with the waiver's justification and expiry, whatever
//                     --fail-on says: an accepted risk does not fail the run (as with exit
//                     codes), and skipped keeps it visible on dashboards
// --fail-on never changes the exit code only: a FAIL is still a failure here.
// classname is `cluster.host`, name is `control rule-id: title`. With a baseline, each test case
// has a `change` property and its output says so; resolved findings are properties of their host.
// What the report does not cover (an interrupted or partial scan, a merged report, hosts and
// controls not compared with the baseline, expired waivers) is said by properties of every suite,
// since a dashboard may show any one suite alone; the hosts --limit left out of a cluster, by the
// properties of that cluster's suites.

/** The property each kind of note is written as, one property per thing it says. */
const NOTE_PROPERTY: Record<NoteKind, string> = {
  interrupted: 'interrupted',
  'partial-scan': 'partial scan',
  merged: 'merged from',
  'not-compared': 'not compared with baseline',
  'expired-waivers': 'expired waiver',
};

export interface JunitOptions {
  /** --fail-on: `warn` makes a WARN a failure. */
  failOn: FailOn;
}

export function renderJunit(result: ScanResult, options: JunitOptions): string {
  const outcomeOf = outcomes(options.failOn);
  const byHost = groupBy(result.findings, (finding) => finding.host);
  const scope = scopeProperties(result);
  const suites = result.hosts.map((host) =>
    suite(result, host, byHost.get(host.name) ?? [], outcomeOf, [...scope.all, ...(scope.ofCluster.get(host.cluster) ?? [])]),
  );
  const counts = sumCounts(result.findings, outcomeOf);
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: `fleetbench ${result.benchmark}`, ...counts, time: seconds.toFixed(3), timestamp: result.startedAt })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

type OutcomeOf = (finding: Finding) => Outcome;

function outcomes(failOn: FailOn): OutcomeOf {
  return (finding) => {
    if (finding.waiver !== undefined && (finding.status === 'FAIL' || finding.status === 'WARN')) return 'skipped';
    switch (finding.status) {
      case 'PASS':
        return 'passed';
      case 'FAIL':
        return 'failure';
      case 'ERROR':
        return 'error';
      case 'NOT_APPLICABLE':
        return 'skipped';
      case 'WARN':
        return failOn === 'warn' ? 'failure' : 'skipped';
    }
  };
}

function sumCounts(findings: readonly Finding[], outcomeOf: OutcomeOf): { tests: number; failures: number; errors: number; skipped: number } {
  const verdicts = findings.map(outcomeOf);
  const count = (outcome: Outcome) => verdicts.filter((o) => o === outcome).length;
  return { tests: findings.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

/** The properties of every suite, and of the suites of each cluster scanned in part. */
function scopeProperties(result: ScanResult): { all: [string, string][]; ofCluster: Map<string, [string, string][]> } {
  const notes = coverageAndWaiverNotes(result);
  // A note with nothing to list (an interrupted scan whose hosts all finished) is still said.
  const all = notes.flatMap((note) =>
    (note.details.length === 0 ? [note.meaning] : note.details).map((detail): [string, string] => [NOTE_PROPERTY[note.kind], detail]),
  );
  const hostsOf = groupBy(result.hosts, (host) => host.cluster);
  const ofCluster = new Map<string, [string, string][]>();
  for (const cluster of result.clusters) {
    const coverage = clusterCoverage(cluster, hostsOf.get(cluster.name)?.length ?? 0);
    if (coverage !== undefined) ofCluster.set(cluster.name, [['cluster scanned in part', coverage]]);
  }
  return { all, ofCluster };
}

function suite(result: ScanResult, host: HostOutcome, findings: Finding[], outcomeOf: OutcomeOf, scope: [string, string][]): string {
  const name = `${host.cluster}.${host.name}`;
  const properties: [string, string][] = [
    ['cluster', host.cluster],
    ['address', `${host.address}:${host.port}`],
    ['reached', String(host.reached)],
  ];
  if (host.error !== undefined) properties.push(['error', host.error]);
  for (const problem of host.problems) properties.push(['problem', `${problem.subject}: ${problem.reason}`]);
  for (const resolved of result.baseline?.resolved.filter((f) => f.host === host.name) ?? []) {
    properties.push(['resolved since baseline', `${resolved.control} ${resolved.ruleId}: was ${resolved.status}: ${resolved.reason}`]);
  }
  properties.push(...scope);
  const caseNames = uniqueNames(findings.map((f) => `${f.control} ${f.ruleId}: ${f.title}`));
  const header = attributes({
    name,
    ...sumCounts(findings, outcomeOf),
    time: (host.durationMs / 1000).toFixed(3),
    timestamp: result.startedAt,
    hostname: host.address,
  });
  return [
    `  <testsuite${header}>`,
    '    <properties>',
    ...properties.map(([key, value]) => `      <property${attributes({ name: key, value })}/>`),
    '    </properties>',
    ...findings.map((finding, i) => testcase(name, caseNames[i]!, finding, outcomeOf(finding), result.baseline?.file)),
    '  </testsuite>',
  ].join('\n');
}

/** Dashboards merge test cases of the same name: a rule with several findings on a host gets `#2`, `#3`. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} #${count}`;
  });
}

function testcase(classname: string, name: string, finding: Finding, outcome: Outcome, baselineFile: string | undefined): string {
  const open = `    <testcase${attributes({ classname, name, time: '0' })}>`;
  const details = detailText(finding, baselineFile);
  const body: string[] = [];
  if (finding.change !== undefined) body.push(`      <properties><property${attributes({ name: 'change', value: finding.change })}/></properties>`);
  if (outcome === 'failure' || outcome === 'error') {
    body.push(`      <${outcome}${attributes({ message: finding.reason, type: finding.status })}>${text(details)}</${outcome}>`);
  } else if (outcome === 'skipped') {
    const message =
      finding.waiver !== undefined ? `${finding.status} ${waiverNote(finding.waiver)}` : finding.status === 'WARN' ? `WARN: ${finding.reason}` : finding.reason;
    body.push(`      <skipped${attributes({ message })}/>`);
  }
  // What a skipped WARN or waived finding was: the details a failure or an error carries as its text.
  if (outcome === 'skipped' && (finding.status === 'WARN' || finding.waiver !== undefined)) {
    body.push(`      <system-out>${text(`${finding.status}: ${details}`)}</system-out>`);
  }
  return body.length === 0 ? open.replace(/>$/, '/>') : [open, ...body, '    </testcase>'].join('\n');
}

function detailText(finding: Finding, baselineFile: string | undefined): string {
  const lines = [finding.reason, `expected: ${finding.expected}`, `actual: ${finding.actual}`];
  if (finding.evidence.length > 0) lines.push('evidence:', ...finding.evidence.map((e) => `  ${evidenceLine(e)}`));
  lines.push(`remediation: ${finding.remediation}`);
  if (finding.waiver !== undefined) lines.push(waiverNote(finding.waiver));
  if (finding.change !== undefined && baselineFile !== undefined) lines.push(`since baseline ${baselineFile}: ${finding.change}`);
  return lines.join('\n');
}

// Characters XML 1.0 does not allow at all, even as references: lone surrogates, U+FFFE, U+FFFF,
// and C0 controls (which safeBlock has already turned into visible escapes such as \e).
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Host text for element content: control characters shown, the rest of what XML forbids dropped, markup escaped. */
function text(value: string): string {
  return safeBlock(value).replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ` key="value"` pairs; newlines and tabs as references, since parsers fold them to spaces in attributes. */
function attributes(pairs: Record<string, string | number>): string {
  return Object.entries(pairs)
    .map(([key, value]) => ` ${key}="${text(String(value)).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`)
    .join('');
}
