import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model.js';
import { renderJunit } from '../../src/report/junit.js';
import { scanFleetFile } from '../support/fleet.js';
import { PAYLOAD_SHOWN, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';
import { comparedInPart, finding, host, mergedScans, partialScan, scanResult } from '../support/scan-results.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(raw)) throw new Error(`bare & in ${JSON.stringify(raw)}`);
  if (/[<>]/.test(raw)) throw new Error(`raw markup character in ${JSON.stringify(raw)}`);
  return raw.replace(/&(#\d+|\w+);/g, (_, ref: string) => (ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : ENTITIES[ref]!));
}

/** A strict reader for the XML subset the writer uses: it throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  if (/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)) throw new Error('character not allowed in XML 1.0');
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z-]+)((?:\s+[a-z-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, content] = match;
    const current = stack.at(-1)!;
    if (content !== undefined) {
      current.text += decode(content);
    } else if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
    } else {
      const attributes = Object.fromEntries([...attrs!.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, k, v]) => [k!, decode(v!)]));
      const element: XmlElement = { name: name!, attributes, children: [], text: '' };
      current.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (consumed !== body.length || stack.length !== 1) throw new Error(`not well-formed at offset ${consumed}`);
  return root.children.find((c) => c.name === 'testsuites') ?? root;
}

function cases(xml: string): XmlElement[] {
  return parseXml(xml).children.flatMap((suite) => suite.children.filter((c) => c.name === 'testcase'));
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

const FAIL_ON_FAIL = { failOn: 'fail' } as const;

describe('renderJunit', () => {
  const statuses: Finding['status'][] = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'WARN'];
  const result = scanResult(statuses.map((status, i) => finding({ status, ruleId: `rule-${i}`, control: `2.${i}`, reason: `reason ${i}` })));

  it('writes one suite per host and one test case per host and control, named for dashboards', () => {
    const root = parseXml(renderJunit(result, FAIL_ON_FAIL));
    expect(root.attributes).toMatchObject({ name: 'fleetbench cis-1.12', tests: '5', failures: '1', errors: '1', skipped: '2', time: '2.500' });
    expect(root.children.map((s) => s.attributes.name)).toEqual(['prod.cp1']);
    const [passed] = cases(renderJunit(result, FAIL_ON_FAIL));
    expect(passed!.attributes).toEqual({ classname: 'prod.cp1', name: '2.0 rule-0: Ensure that the --client-cert-auth argument is set to true', time: '0' });
  });

  it('maps FAIL to failure, ERROR to error, NOT_APPLICABLE to skipped, and WARN to skipped with its reason and details, never a pass', () => {
    const [pass, fail, error, notApplicable, warn] = cases(renderJunit(result, FAIL_ON_FAIL));
    expect(pass!.children).toEqual([]);
    expect(child(fail!, 'failure')!.attributes).toEqual({ message: 'reason 1', type: 'FAIL' });
    expect(child(fail!, 'failure')!.text).toBe(
      'reason 1\nexpected: --client-cert-auth=true\nactual: --client-cert-auth=false\nevidence:\n  process 1795 command line: --client-cert-auth=false\nremediation: Set --client-cert-auth=true and restart etcd.',
    );
    expect(child(error!, 'error')!.attributes).toEqual({ message: 'reason 2', type: 'ERROR' });
    expect(child(notApplicable!, 'skipped')!.attributes).toEqual({ message: 'reason 3' });
    expect(warn!.children.map((c) => c.name)).toEqual(['skipped', 'system-out']);
    expect(child(warn!, 'skipped')!.attributes).toEqual({ message: 'WARN: reason 4' });
    expect(child(warn!, 'system-out')!.text).toMatch(/^WARN: reason 4\nexpected: /);
  });

  it('makes a WARN a failure under --fail-on warn, as the exit code does, but never a waived one', () => {
    const waiver = { justification: 'accepted', expires: '2026-12-31', source: 'w.yaml:4' };
    const warned = scanResult([...result.findings, finding({ status: 'WARN', ruleId: 'rule-9', control: '2.9', waiver })]);
    const xml = renderJunit(warned, { failOn: 'warn' });
    const warn = cases(xml)[4]!;
    expect(warn.children.map((c) => c.name)).toEqual(['failure']);
    expect(child(warn, 'failure')!.attributes).toEqual({ message: 'reason 4', type: 'WARN' });
    expect(child(warn, 'failure')!.text).toMatch(/^reason 4\nexpected: --client-cert-auth=true\n/);
    expect(child(cases(xml)[5]!, 'skipped')!.attributes.message).toBe('WARN waived until 2026-12-31 (w.yaml:4): accepted');
    expect(parseXml(xml).attributes).toMatchObject({ tests: '6', failures: '2', errors: '1', skipped: '2' });
    expect(parseXml(renderJunit(warned, FAIL_ON_FAIL)).attributes).toMatchObject({ failures: '1', skipped: '3' });
  });

  it('still reports a FAIL as a failure under --fail-on never, which changes only the exit code', () => {
    const xml = renderJunit(result, { failOn: 'never' });
    expect(parseXml(xml).attributes).toMatchObject({ failures: '1', errors: '1', skipped: '2' });
    expect(child(cases(xml)[1]!, 'failure')!.attributes.type).toBe('FAIL');
  });

  it('skips a waived FAIL with its justification, and marks changes since a baseline', () => {
    const waived = finding({ waiver: { justification: 'isolated VLAN', expires: '2026-12-31', source: 'w.yaml:4' }, change: 'unchanged' });
    const resolved = finding({ ruleId: 'etcd-no-auto-tls', control: '2.3', status: 'FAIL', reason: 'auto-tls on' });
    const compared = scanResult([waived, finding({ ruleId: 'x', status: 'ERROR', change: 'new' })], {
      baseline: { file: 'b.json', startedAt: '2026-11-01T00:00:00Z', counts: { new: 1, unchanged: 1, changed: 0, resolved: 1 }, resolved: [resolved] },
    });
    const xml = renderJunit(compared, FAIL_ON_FAIL);
    const [first, second] = cases(xml);
    expect(child(first!, 'skipped')!.attributes.message).toBe('FAIL waived until 2026-12-31 (w.yaml:4): isolated VLAN');
    expect(child(first!, 'properties')!.children[0]!.attributes).toEqual({ name: 'change', value: 'unchanged' });
    expect(child(second!, 'error')!.text).toMatch(/\nsince baseline b\.json: new$/);
    expect(parseXml(xml).attributes).toMatchObject({ failures: '0', errors: '1', skipped: '1' });
    const properties = child(parseXml(xml).children[0]!, 'properties')!.children.map((p) => [p.attributes.name, p.attributes.value]);
    expect(properties).toContainEqual(['resolved since baseline', '2.3 etcd-no-auto-tls: was FAIL: auto-tls on']);
  });

  it('escapes markup, keeps newlines in attributes, shows control characters and drops what XML 1.0 forbids', () => {
    const reason = 'a <b> & "c" \'d\'\nline two \u001b[2J\u0007 lone \ud800 surrogate \uffff end';
    const xml = renderJunit(scanResult([finding({ reason })], { hosts: [host({ error: 'x\u0000y' })] }), FAIL_ON_FAIL);
    const [testcase] = cases(xml);
    expect(child(testcase!, 'failure')!.attributes.message).toBe('a <b> & "c" \'d\'\nline two \\e[2J\\x07 lone  surrogate  end');
    expect(xml).toContain('&#10;line two');
    expect(parseXml(xml).children[0]!.children[0]!.children.find((p) => p.attributes.name === 'error')!.attributes.value).toBe('x\\x00y');
  });

  it('escapes every field of a hostile result file, the ones that used to be our own too', () => {
    const xml = renderJunit(unvalidatedHostileResult(), FAIL_ON_FAIL);
    expect(rawControls(xml)).toEqual([]);
    expect(parseXml(xml).attributes.name).toBe(`fleetbench cis-1.12${PAYLOAD_SHOWN}`);
    const properties = child(parseXml(xml).children[0]!, 'properties')!.children.map((p) => [p.attributes.name, p.attributes.value]);
    expect(properties).toContainEqual(['partial scan', `--limit 'evil${PAYLOAD_SHOWN}' left out 3 hosts of the inventory`]);
    expect(properties).toContainEqual(['cluster scanned in part', `2 of 3 hosts scanned; evil-3${PAYLOAD_SHOWN} left out by --limit`]);
    expect(cases(xml)[0]!.attributes).toMatchObject({
      classname: `evil${PAYLOAD_SHOWN}.evil-1${PAYLOAD_SHOWN}`,
      name: `2.2${PAYLOAD_SHOWN} rule${PAYLOAD_SHOWN}: title${PAYLOAD_SHOWN}`,
    });
  });

  it('renders the hostile fixture host as well-formed XML with its payloads as plain text', async () => {
    const { result: hostile } = await scanFleetFile('hostile');
    const xml = renderJunit(hostile, FAIL_ON_FAIL);
    const all = cases(xml);
    expect(all).toHaveLength(hostile.findings.length);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    const warned = all.find((c) => c.attributes.name!.includes('etcd-client-cert-auth') && c.attributes.classname === 'hostile.hostile-cp1')!;
    expect(child(warned, 'system-out')!.text).toContain(`<img src=x onerror="document.title='fleetbench-xss'">`);
    const names = all.map((c) => `${c.attributes.classname} ${c.attributes.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('hostile.hostile-cp1 - etcd-cluster-membership: etcd cluster membership agrees with the inventory');
  });
});

describe('renderJunit of a result that covers part of the fleet', () => {
  const SCOPE = ['interrupted', 'partial scan', 'merged from', 'not compared with baseline', 'expired waiver', 'cluster scanned in part'];
  /** The properties of each suite that say what the report does not cover, by suite name. */
  function scope(xml: string): Record<string, string[][]> {
    return Object.fromEntries(
      parseXml(xml).children.map((suite) => [
        suite.attributes.name!,
        child(suite, 'properties')!
          .children.map((p) => [p.attributes.name!, p.attributes.value!])
          .filter(([name]) => SCOPE.includes(name!)),
      ]),
    );
  }

  it('says nothing of coverage for a whole, uninterrupted scan', () => {
    expect(scope(renderJunit(scanResult([finding(), finding({ host: 'cp2' })]), FAIL_ON_FAIL))).toEqual({ 'prod.cp1': [], 'prod.cp2': [] });
  });

  it('says on every suite what a partial scan left out, and on the suites of a cluster scanned in part how much of it was', () => {
    const other = finding({ host: 'x1', cluster: 'other' });
    const result = partialScan();
    result.findings.push(other);
    result.hosts.push(host({ name: 'x1', cluster: 'other' }));
    result.clusters.push({ name: 'other', inventoryMembers: ['x1'], memberCount: 1, memberCountBasis: 'inventory' });
    const partial = [
      ['partial scan', "--limit 'prod:!cp[34]' left out 12 hosts of the inventory"],
      ['partial scan', '--skip 2.6 left out 1 control: etcd-no-peer-auto-tls'],
    ];
    const inPart = ['cluster scanned in part', '2 of 4 hosts scanned; cp3, cp4 left out by --limit'];
    expect(scope(renderJunit(result, FAIL_ON_FAIL))).toEqual({ 'prod.cp1': [...partial, inPart], 'prod.cp2': [...partial, inPart], 'other.x1': partial });
  });

  it('says an interrupted scan, the scans of a merged report, what the baseline did not compare and the waivers that expired', () => {
    const result = {
      ...mergedScans(),
      interrupted: true,
      baseline: comparedInPart().baseline!,
      expiredWaivers: [{ rule: '2.3', hosts: 'cluster lab', justification: 'lab only', expires: '2026-01-31', source: 'w.yaml:9' }],
    };
    const properties = scope(renderJunit(result, FAIL_ON_FAIL))['dc1.a1']!;
    expect(properties.map(([name]) => name)).toEqual([
      'interrupted',
      'merged from',
      'merged from',
      'merged from',
      'not compared with baseline',
      'not compared with baseline',
      'not compared with baseline',
      'expired waiver',
    ]);
    expect(properties[0]![1]).toBe('stopped by SIGINT or SIGTERM before it finished');
    expect(properties[3]![1]).toBe('together they scan 3 of the 5 hosts of fleet/: 2 hosts in none of them');
    expect(properties[7]![1]).toBe('2.3 cluster lab: expired after 2026-01-31 (w.yaml:9): lab only');
  });
});
