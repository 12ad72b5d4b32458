import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model.js';
import { compareWithBaseline } from '../../src/result/baseline.js';
import { mergeResults } from '../../src/result/merge.js';
import { validateResult } from '../../src/result/result-file.js';
import { renderJson } from '../../src/report/json.js';
import { SCHEMA_VERSION } from '../../src/version.js';
import { applyWaivers } from '../../src/result/waivers/apply.js';
import { scanFleetFile } from '../support/fleet.js';

// ajv-formats is CommonJS (`module.exports = plugin`, plus `.default`); TypeScript's NodeNext
// typing sees only the module object, while at run time the default import is the plugin itself.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const schema = JSON.parse(readFileSync(new URL('../../schema/fleetbench-result.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function compile(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The document as a consumer reads it: through the JSON writer and JSON.parse. */
function asWritten(result: ScanResult): Record<string, unknown> {
  return JSON.parse(renderJson(result)) as Record<string, unknown>;
}

function errorsOf(validate: ValidateFunction, document: unknown): string[] {
  validate(document);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('the JSON result schema', () => {
  let validate: ValidateFunction;
  let demo: ScanResult;
  let hostile: ScanResult;
  beforeAll(async () => {
    validate = compile();
    demo = (await scanFleetFile('demo')).result;
    hostile = (await scanFleetFile('hostile')).result;
  });

  it('accepts the real output of the demo and hostile fleets', () => {
    expect(errorsOf(validate, asWritten(demo))).toEqual([]);
    expect(errorsOf(validate, asWritten(hostile))).toEqual([]);
  });

  it('accepts a result with waivers, expired waivers and a baseline comparison', () => {
    const stage = demo.findings.find((f) => f.status === 'FAIL')!;
    const waived = applyWaivers(
      demo,
      [
        { rule: stage.ruleId, host: stage.host, justification: 'accepted', expires: '2099-12-31', source: 'w.yaml:2' },
        { rule: '2.2', cluster: '*', justification: 'old', expires: '2000-01-01', source: 'w.yaml:7' },
      ],
      new Date(),
    );
    const baseline = asWritten({ ...hostile, findings: hostile.findings.map((f) => ({ ...f, status: 'FAIL' as const })) });
    const compared = compareWithBaseline(waived, validateResult(baseline, 'previous.json'), 'previous.json');
    expect(compared.findings.some((f) => f.waiver) && compared.expiredWaivers?.length && compared.baseline?.resolved.length).toBeTruthy();
    expect(errorsOf(validate, asWritten(compared))).toEqual([]);
  });

  it('accepts a limited scan, a report merged from several, and a comparison of scans of different scope (1.1)', () => {
    const [first, ...others] = demo.clusters.map((c) => c.name);
    const part = (clusters: string[]) => ({
      ...demo,
      clusters: demo.clusters.filter((c) => clusters.includes(c.name)).map((c) => ({ ...c, notScanned: ['elsewhere'] })),
      hosts: demo.hosts.filter((h) => clusters.includes(h.cluster)),
      findings: demo.findings.filter((f) => clusters.includes(f.cluster)),
      selection: { limit: clusters.join(','), check: ['2.2'], skip: ['2.3'], hostsLeftOut: 3, rulesLeftOut: ['etcd-no-auto-tls'] },
    });
    const { result: merged } = mergeResults([
      { file: 'a.json', result: part([first!]) },
      { file: 'b.json', result: part(others) },
    ]);
    const compared = compareWithBaseline(merged, validateResult(asWritten(part(others)), 'before.json'), 'before.json');
    expect(merged.mergedFrom).toHaveLength(2);
    expect(compared.baseline?.notCompared?.hostsOnlyNow.length).toBeGreaterThan(0);
    for (const document of [part([first!]), merged, compared]) {
      expect(errorsOf(validate, asWritten(document))).toEqual([]);
      expect(validateResult(asWritten(document), 'result.json')).toBeDefined();
    }
  });

  it('rejects documents that break it', () => {
    const broken = (edit: (doc: Record<string, unknown> & { findings: Record<string, unknown>[]; hosts: Record<string, unknown>[] }) => void) => {
      const doc = asWritten(hostile) as Parameters<typeof edit>[0];
      edit(doc);
      return errorsOf(validate, doc);
    };
    expect(broken((d: Record<string, unknown>) => delete d.findings)).toContain(" must have required property 'findings'");
    expect(broken((d) => (d.findings[0]!.status = 'MAYBE'))).toContain('/findings/0/status must be equal to one of the allowed values');
    expect(broken((d) => (d.schemaVersion = '2.0'))).toContain('/schemaVersion must match pattern "^1\\.[0-9]+$"');
    expect(broken((d) => (d.hosts[0]!.port = 70000))).toContain('/hosts/0/port must be <= 65535');
    expect(broken((d) => (d.startedAt = 'yesterday'))).toContain('/startedAt must match format "date-time"');
    expect(broken((d) => (d.findings[0]!.severity = 'high'))).toContain('/findings/0 must NOT have additional properties');
  });

  it('is the version fleetbench writes, and documents every field', () => {
    const properties = schema.properties as Record<string, { pattern?: string }>;
    expect(SCHEMA_VERSION).toMatch(new RegExp(properties.schemaVersion!.pattern!));
    expect(schema.$id).toBe(`urn:fleetbench:schema:result:${SCHEMA_VERSION}`);
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [name, definition] of Object.entries(props ?? {})) {
        if (typeof definition.description !== 'string' && typeof definition.$ref !== 'string') undocumented.push(`${path}.${name}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`);
    };
    walk(schema, '');
    expect(undocumented).toEqual([]);
  });
});
