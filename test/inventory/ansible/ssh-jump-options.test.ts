import { describe, expect, it } from 'vitest';
import { readProxyOptions } from '../../../src/inventory/ansible/ssh-jump-options.js';
import type { ProxyOptions } from '../../../src/inventory/ansible/ssh-jump-options.js';

function read(...words: string[]): ProxyOptions | { problem: string } {
  const state: ProxyOptions = {};
  return readProxyOptions(words, state) ?? state;
}

describe('readProxyOptions', () => {
  it('reads -J with its value as the next word or attached; a jump rules out ProxyCommand', () => {
    expect(read('-J', 'ops@gw:2222')).toEqual({ jump: 'ops@gw:2222', proxyCommand: 'none' });
    expect(read('-Jops@gw')).toEqual({ jump: 'ops@gw', proxyCommand: 'none' });
  });

  it('reads ProxyJump and ProxyCommand from -o in every spelling ssh accepts, keyword in any case', () => {
    for (const words of [['-o', 'ProxyJump=a,b'], ['-oProxyJump=a,b'], ['-o', 'ProxyJump a,b'], ['-o', 'proxyjump = a,b'], ['-o', 'PROXYJUMP=a,b']]) {
      expect(read(...words)).toEqual({ jump: 'a,b', proxyCommand: 'none' });
    }
    expect(read('-o', 'ProxyCommand=ssh -W %h:%p -q bastion')).toEqual({ proxyCommand: 'ssh -W %h:%p -q bastion' });
    expect(read('-oProxyCommand nc %h %p')).toEqual({ proxyCommand: 'nc %h %p' });
  });

  it('keeps the first of ProxyJump and ProxyCommand, as readconf.c does', () => {
    expect(read('-o', 'ProxyJump=first', '-o', 'ProxyJump=second')).toEqual({ jump: 'first', proxyCommand: 'none' });
    expect(read('-o', 'ProxyJump=first', '-o', 'ProxyCommand=nc %h %p')).toEqual({ jump: 'first', proxyCommand: 'none' });
    expect(read('-o', 'ProxyCommand=nc %h %p', '-o', 'ProxyJump=second')).toEqual({ proxyCommand: 'nc %h %p' });
    expect(read('-o', 'ProxyCommand=none', '-o', 'ProxyJump=second')).toEqual({ proxyCommand: 'none' });
  });

  it('reads ProxyJump none as turning later jumps off, but not a ProxyCommand', () => {
    expect(read('-o', 'ProxyJump=None', '-o', 'ProxyJump=gw')).toEqual({ jump: 'none' });
    expect(read('-J', 'none', '-o', 'ProxyCommand=nc %h %p')).toEqual({ jump: 'none', proxyCommand: 'nc %h %p' });
  });

  it('refuses what ssh refuses: a second -J, and -J after a ProxyCommand', () => {
    expect(read('-J', 'a', '-J', 'b')).toEqual({ problem: 'gives a jump host twice (ssh accepts one -J; separate several hops with commas)' });
    expect(read('-o', 'ProxyCommand=nc %h %p', '-J', 'gw')).toEqual({ problem: 'gives -J after a ProxyCommand, which ssh refuses' });
    // -J after ProxyJump is a second jump host too.
    expect(read('-o', 'ProxyJump=a', '-J', 'b')).toHaveProperty('problem');
  });

  it('skips other options, including the values of flags that take one', () => {
    expect(read('-o', 'StrictHostKeyChecking=no', '-C', '-vvv', '-F', './ssh-bastion.conf')).toEqual({});
    // "-J" here is the file name given to -i, not an option.
    expect(read('-i', '-J', '-o', 'UserKnownHostsFile=/dev/null')).toEqual({});
    // -A and -t take no value, -p does: "-J" is its value.
    expect(read('-Atp', '-J')).toEqual({});
    expect(read('-Ap', '22', '-J', 'gw')).toEqual({ jump: 'gw', proxyCommand: 'none' });
  });

  it('reports a flag that needs a value at the end', () => {
    expect(read('-o', 'ForwardAgent=no', '-J')).toEqual({ problem: 'ends with -J, which needs a value' });
  });
});
