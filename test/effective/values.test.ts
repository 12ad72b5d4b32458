import { describe, expect, it } from 'vitest';
import { isQuoted, parseGoBool, unquote } from '../../src/effective/values.js';

describe('parseGoBool, as strconv.ParseBool', () => {
  it.each([
    ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((text) => [text, true] as const),
    ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((text) => [text, false] as const),
    ...['yes', 'no', 'on', 'off', 'tRUE', 'y', ' true', '', '"true"'].map((text) => [text, undefined] as const),
  ])('%j -> %s', (text, value) => {
    expect(parseGoBool(text)).toBe(value);
  });
});

describe('unquote and isQuoted: one pair of matching quotes', () => {
  it.each([
    ['"a"', 'a', true],
    ["'a b'", 'a b', true],
    ['""', '', true],
    ['"a\'', '"a\'', false],
    ['"', '"', false],
    ['""a""', '"a"', true],
    ['a"b"', 'a"b"', false],
  ])('%s -> %s', (text, unquoted, quoted) => {
    expect([unquote(text), isQuoted(text)]).toEqual([unquoted, quoted]);
  });
});
