import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResult, ResultFileError } from '../../src/report/result-file.js';

const FILE = fileURLToPath(new URL('../../fixtures/results/tui-fleet.json', import.meta.url));
const saved = () => JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
const parse = (value: unknown) => parseResult(JSON.stringify(value), 'results.json');

describe('parseResult', () => {
  it('accepts a saved fleetbench result', () => {
    expect(parse(saved()).hosts).toHaveLength(7);
  });

  it('refuses what is not JSON, or not a fleetbench result, saying what to give it', () => {
    expect(() => parseResult('{"schemaVersion": ', 'results.json')).toThrow(/^results\.json is not JSON \(.*\); expected a result written by fleetbench --format json/);
    expect(() => parse([1, 2])).toThrow(/results\.json is not a fleetbench result: it has no schemaVersion/);
    expect(() => parse({ kind: 'Pod' })).toThrow(ResultFileError);
  });

  it('refuses another major schema version', () => {
    expect(() => parse({ ...saved(), schemaVersion: '2.0' })).toThrow('results.json: schemaVersion "2.0" (written by fleetbench 0.1.0) is not supported; this fleetbench reads results of schema version 1.x');
    expect(() => parse({ ...saved(), schemaVersion: 1 })).toThrow(/schemaVersion 1 \(written by fleetbench 0\.1\.0\) is not supported/);
    expect(parse({ ...saved(), schemaVersion: '1.7' }).schemaVersion).toBe('1.7');
  });

  it('names each field that is missing or wrong, up to five', () => {
    const result = saved();
    const findings = result.findings as Record<string, unknown>[];
    findings[3] = { ...findings[3], status: 'BOGUS' };
    delete findings[4]!.evidence;
    const { hosts: _hosts, ...withoutHosts } = result;
    let message = '';
    try {
      parse(withoutHosts);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      [
        'results.json is not a valid fleetbench result:',
        '  hosts: missing',
        '  findings[3].status: must be one of FAIL, ERROR, WARN, PASS, NOT_APPLICABLE, got "BOGUS"',
        '  findings[4].evidence: missing',
      ].join('\n'),
    );
    const many = { ...result, findings: Array.from({ length: 7 }, () => ({})) };
    expect(() => parse(many)).toThrow(/\n {2}… and \d+ more$/);
  });
});
