import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResult, ResultFileError } from '../../src/result/result-file.js';
import { PAYLOAD, PAYLOAD_SHOWN, rawControls } from '../support/hostile-result.js';

const FILE = fileURLToPath(new URL('../../fixtures/results/tui-fleet.json', import.meta.url));
const saved = () => JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
const parse = (value: unknown) => parseResult(JSON.stringify(value), 'results.json');

function messageOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ResultFileError) return error.message;
    throw error;
  }
  throw new Error('the file was accepted');
}

/** The problems listed for the saved result with one finding and one host changed. */
function problemsWith(change: { finding?: Record<string, unknown>; host?: Record<string, unknown>; result?: Record<string, unknown> }): string[] {
  const result = saved();
  const [first, ...findings] = result.findings as Record<string, unknown>[];
  const [host, ...hosts] = result.hosts as Record<string, unknown>[];
  const changed = { ...result, findings: [{ ...first, ...change.finding }, ...findings], hosts: [{ ...host, ...change.host }, ...hosts], ...change.result };
  return messageOf(() => parse(changed))
    .split('\n')
    .slice(1);
}

describe('parseResult', () => {
  it('accepts a saved fleetbench result', () => {
    expect(parse(saved()).hosts).toHaveLength(7);
  });

  it('checks the selection and merge records of schema 1.1', () => {
    expect(problemsWith({ result: { selection: { limit: 3, hostsLeftOut: 1, rulesLeftOut: [2] }, mergedFrom: [{ file: 'a.json', hosts: 2 }] } })).toEqual([
      '  selection.rulesLeftOut[0]: must be a string, got 2',
      '  selection.limit: must be a string, got 3',
      '  mergedFrom[0].inventory: missing',
      '  mergedFrom[0].startedAt: missing',
      '  mergedFrom[0].finishedAt: missing',
    ]);
  });

  it('refuses what is not JSON, or not a fleetbench result, saying what to give it', () => {
    expect(() => parseResult('{"schemaVersion": ', 'results.json')).toThrow(
      /^results\.json is not JSON \(.*\); expected a result written by fleetbench --format json/,
    );
    expect(() => parse([1, 2])).toThrow(/results\.json is not a fleetbench result: it has no schemaVersion/);
    expect(() => parse({ kind: 'Pod' })).toThrow(ResultFileError);
  });

  it('refuses another major schema version', () => {
    expect(() => parse({ ...saved(), schemaVersion: '2.0' })).toThrow(
      'results.json: schemaVersion "2.0" (written by fleetbench 0.1.0) is not supported; this fleetbench reads results of schema version 1.x',
    );
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

describe('parseResult of a hostile file', () => {
  it('escapes what its messages quote: the version that wrote it, a wrong value, what the JSON parser quotes, the file name', () => {
    const unsupported = messageOf(() => parse({ ...saved(), schemaVersion: '2.0', tool: { name: 'fleetbench', version: `0.1.0${PAYLOAD}` } }));
    expect(unsupported).toBe(
      `results.json: schemaVersion "2.0" (written by fleetbench 0.1.0${PAYLOAD_SHOWN}) is not supported; this fleetbench reads results of schema version 1.x`,
    );
    // JSON.stringify, which quotes the value, escapes ESC but leaves the C1 CSI and the override raw.
    const wrong = problemsWith({ finding: { status: 'FAIL\u009b31m\u202e\u001b' } });
    expect(wrong).toEqual(['  findings[0].status: must be one of FAIL, ERROR, WARN, PASS, NOT_APPLICABLE, got "FAIL\\x9b31m\\u202e\\u001b"']);
    const notJson = messageOf(() => parseResult(PAYLOAD, `evil${PAYLOAD}.json`));
    expect(notJson).toMatch(/^evil\\e\]52;c;ZWNobyBwd25lZA==\\x07.*\.json is not JSON \(Unexpected token '\\e', "\\e\]52;c;/s);
    expect([unsupported, ...wrong, notJson].flatMap(rawControls)).toEqual([]);
  });

  it('refuses impossible values in the optional fields: waiver, change, errorKind, privilege, baseline, expired waivers', () => {
    expect(
      problemsWith({ finding: { change: 'moved', waiver: { justification: 'x', expires: '2026-12-31' } }, host: { errorKind: 'lost', privilege: 'admin' } }),
    ).toEqual([
      '  hosts[0].errorKind: must be one of dns, refused, unreachable, timeout, host-key, auth, sudo, probe, output-too-large, connection, not-scanned, got "lost"',
      '  hosts[0].privilege: must be one of root, sudo, unprivileged, got "admin"',
      '  findings[0].waiver.source: missing',
      '  findings[0].change: must be one of new, unchanged, changed, got "moved"',
    ]);
    const baseline = {
      file: 'monday.json',
      startedAt: '2026-11-23T10:00:00.000Z',
      counts: { new: 0, unchanged: 0, changed: 0, resolved: '1' },
      resolved: [{ ...(saved().findings as object[])[0], status: 'GONE' }],
    };
    expect(
      problemsWith({ result: { baseline, expiredWaivers: [{ rule: '2.2', hosts: 'all', justification: 'x', expires: '2026-01-31' }], interrupted: 'yes' } }),
    ).toEqual([
      '  baseline.counts.resolved: must be a number, got "1"',
      '  baseline.resolved[0].status: must be one of FAIL, ERROR, WARN, PASS, NOT_APPLICABLE, got "GONE"',
      '  expiredWaivers[0].source: missing',
      '  interrupted: must be true or false, got "yes"',
    ]);
  });
});
