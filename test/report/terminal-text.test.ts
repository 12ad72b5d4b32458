import { describe, expect, it } from 'vitest';
import { escaped, safeBlock, safeLine } from '../../src/report/terminal-text.js';
import { PAYLOAD, PAYLOAD_SHOWN, rawControls } from '../support/hostile-result.js';

describe('safeLine and safeBlock', () => {
  it('spell out C0, DEL and C1 controls, and bidi marks, overrides and isolates', () => {
    expect(safeLine(PAYLOAD)).toBe(PAYLOAD_SHOWN);
    expect(safeLine('a\u007fb\u200fc\u202ad\u2069e')).toBe('a\\x7fb\\u200fc\\u202ad\\u2069e');
    expect(safeBlock(`one\n\ttwo${PAYLOAD}`)).toBe(`one\n\ttwo${PAYLOAD_SHOWN}`);
  });

  it('leave escaped text as it is, so that escaping twice shows the same', () => {
    expect(safeLine(safeLine(PAYLOAD))).toBe(safeLine(PAYLOAD));
    expect(safeLine('ordinary text: é, 日本, →')).toBe('ordinary text: é, 日本, →');
  });
});

describe('escaped', () => {
  it('escapes every interpolated value and nothing of the template itself', () => {
    const line = escaped`version ${`0.1.0${PAYLOAD}`} of ${3} hosts:\n${'a\nb'}`;
    expect(line).toBe(`version 0.1.0${PAYLOAD_SHOWN} of 3 hosts:\na\\nb`);
    expect(rawControls(line.replace('\n', ''))).toEqual([]);
  });
});
