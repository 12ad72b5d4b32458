import { describe, expect, it } from 'vitest';
import { jsonChunks, renderJson, safeJson } from '../../src/report/json.js';
import { scanFleetFile } from '../support/fleet.js';
import { hostileDocument, hostileResult, PAYLOAD, PAYLOAD_IN_JSON, rawControls, unvalidatedHostileResult } from '../support/hostile-result.js';

describe('renderJson', () => {
  it('writes in pieces exactly what JSON.stringify writes when there is nothing it leaves raw', async () => {
    const { result } = await scanFleetFile('hostile');
    expect(renderJson(result)).toBe(`${JSON.stringify(result, null, 2)}\n`);
    expect([...jsonChunks(result)].length).toBeGreaterThan(result.findings.length);
    expect(renderJson({ ...result, hosts: [], findings: [] })).toBe(`${JSON.stringify({ ...result, hosts: [], findings: [] }, null, 2)}\n`);
  });
});

describe('safeJson and renderJson on a hostile result file', () => {
  it('writes DEL, C1 controls, bidi overrides and line separators as \\u escapes, and parses back exactly', () => {
    const json = safeJson({ [`key${PAYLOAD}`]: `value${PAYLOAD}\u007f` }, 2);
    expect(json).toBe(`{\n  "key${PAYLOAD_IN_JSON}": "value${PAYLOAD_IN_JSON}\\u007f"\n}`);
    expect(JSON.parse(json)).toEqual({ [`key${PAYLOAD}`]: `value${PAYLOAD}\u007f` });
  });

  it('writes every field of the result file back without a raw control character', () => {
    const result = unvalidatedHostileResult();
    const json = renderJson(result);
    expect(rawControls(json)).toEqual([]);
    expect(json).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(result);
    expect(JSON.parse(renderJson(hostileResult()))).toStrictEqual(hostileDocument());
  });
});
