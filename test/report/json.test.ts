import { describe, expect, it } from 'vitest';
import { jsonChunks, renderJson } from '../../src/report/json.js';
import { scanFleetFile } from '../support/fleet.js';

describe('renderJson', () => {
  it('writes in pieces exactly what JSON.stringify writes', async () => {
    const { result } = await scanFleetFile('hostile');
    expect(renderJson(result)).toBe(`${JSON.stringify(result, null, 2)}\n`);
    expect([...jsonChunks(result)].length).toBeGreaterThan(result.findings.length);
    expect(renderJson({ ...result, hosts: [], findings: [] })).toBe(`${JSON.stringify({ ...result, hosts: [], findings: [] }, null, 2)}\n`);
  });
});
