import { describe, expect, it } from 'vitest';
import { nearest } from '../src/nearest.js';

describe('nearest', () => {
  it('finds the candidate a slip of a character or two away, or that the word begins', () => {
    expect(nearest('concurency', ['concurrency', 'connect-timeout'])).toBe('concurrency');
    expect(nearest('becoem', ['become', 'benchmark'])).toBe('become');
    expect(nearest('concur', ['concurrency', 'connect-timeout'])).toBe('concurrency');
    expect(nearest('lab9', ['lab', 'lab1'])).toBe('lab1');
  });

  it('finds nothing when no candidate is close, and never the word itself', () => {
    expect(nearest('fleet', ['concurrency', 'format'])).toBeUndefined();
    expect(nearest('scan', ['scan'])).toBeUndefined();
    expect(nearest('x', ['inventory'])).toBeUndefined();
  });
});
