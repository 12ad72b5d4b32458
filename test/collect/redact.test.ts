import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../../src/collect/redact.js';

describe('redact', () => {
  it('replaces every occurrence of every secret, byte for byte, and leaves the rest as it was', () => {
    const output = Buffer.from('sudo: pässword pässword\nFB1:x:data sudo-error\nthe pässword was given\0end');
    expect(redact(output, ['pässword']).toString()).toBe(`sudo: ${REDACTED} ${REDACTED}\nFB1:x:data sudo-error\nthe ${REDACTED} was given\0end`);
  });

  it('returns the output as is when there is no secret, or an empty one', () => {
    const output = Buffer.from('nothing secret');
    expect(redact(output, [])).toBe(output);
    expect(redact(output, [''])).toBe(output);
  });
});
