import { describe, expect, it } from 'vitest';
import { compareControls } from '../../src/report/control-order.js';

describe('compareControls', () => {
  it('orders control numbers part by part, and what is not a control number after them', () => {
    const controls = ['-', '2.10', '1.2.9', '2.2', '1.2.10', '1.1.7', '1.2', '-'];
    expect([...controls].sort(compareControls)).toEqual(['1.1.7', '1.2', '1.2.9', '1.2.10', '2.2', '2.10', '-', '-']);
  });

  it('is a consistent comparator: the sign flips with the arguments', () => {
    expect(Math.sign(compareControls('-', '2.2'))).toBe(1);
    expect(Math.sign(compareControls('2.2', '-'))).toBe(-1);
    expect(compareControls('-', '-')).toBe(0);
    expect(compareControls('1.1.11', '1.1.11')).toBe(0);
  });
});
