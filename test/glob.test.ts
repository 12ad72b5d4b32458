import { describe, expect, it } from 'vitest';
import { globMatch } from '../src/glob.js';

describe('globMatch', () => {
  it('reads * and ? as wildcards and everything else literally, over the whole name', () => {
    expect(globMatch('cp1.dc1.example', 'cp?.dc1.example')).toBe(true);
    expect(globMatch('cp1xdc1.example', 'cp?.dc1.example')).toBe(false);
    expect(globMatch('cp', 'cp*')).toBe(true);
    expect(globMatch('cp1', 'cp')).toBe(false);
    expect(globMatch('[ab]+(x)', '[ab]+(x)')).toBe(true);
    expect(globMatch('a', '[ab]')).toBe(false);
    expect(globMatch('cp1', 'CP1')).toBe(false);
  });
});
