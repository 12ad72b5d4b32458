import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../../src/inventory/ansible/shell-words.js';

describe('splitShellWords', () => {
  it('splits on whitespace and removes quotes, as Python shlex.split does', () => {
    expect(splitShellWords(`-o StrictHostKeyChecking=no   -o 'ProxyJump=a b'\t-o "ProxyCommand=ssh -W %h:%p q"`)).toEqual({
      words: ['-o', 'StrictHostKeyChecking=no', '-o', 'ProxyJump=a b', '-o', 'ProxyCommand=ssh -W %h:%p q'],
    });
  });

  it('joins quoted and unquoted parts of one word', () => {
    expect(splitShellWords(`-o ProxyJump="root@10.0.0.1" -J'ops'@gw`)).toEqual({ words: ['-o', 'ProxyJump=root@10.0.0.1', '-Jops@gw'] });
  });

  it('keeps backslash escapes: any character outside quotes, only " and \\ inside double quotes', () => {
    expect(splitShellWords(String.raw`a\ b "c\"d\e" 'f\g'`)).toEqual({ words: ['a b', 'c"d\\e', 'f\\g'] });
  });

  it('keeps an empty quoted word and expands nothing', () => {
    expect(splitShellWords(`'' $HOME "$(id)" ~`)).toEqual({ words: ['', '$HOME', '$(id)', '~'] });
  });

  it('gives no words for blank text', () => {
    expect(splitShellWords('  \n ')).toEqual({ words: [] });
  });

  it('reports unclosed quotes and a trailing backslash', () => {
    expect(splitShellWords(`-o 'ProxyJump=a`)).toEqual({ problem: 'has a single quote that is never closed' });
    expect(splitShellWords(`-o "ProxyJump=a`)).toEqual({ problem: 'has a double quote that is never closed' });
    expect(splitShellWords('-J a\\')).toEqual({ problem: 'ends with a lone backslash' });
  });
});
