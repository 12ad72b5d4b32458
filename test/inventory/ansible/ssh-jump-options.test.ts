import { describe, expect, it } from 'vitest';
import { jumpOption } from '../../../src/inventory/ansible/ssh-jump-options.js';

describe('jumpOption', () => {
  it('reads -J with its value as the next word or attached', () => {
    expect(jumpOption(['-J', 'ops@gw:2222'])).toEqual({ kind: 'jump', spec: 'ops@gw:2222' });
    expect(jumpOption(['-Jops@gw'])).toEqual({ kind: 'jump', spec: 'ops@gw' });
  });

  it('reads ProxyJump from -o in every spelling ssh accepts, keyword in any case', () => {
    for (const words of [['-o', 'ProxyJump=a,b'], ['-oProxyJump=a,b'], ['-o', 'ProxyJump a,b'], ['-o', 'proxyjump = a,b'], ['-o', 'PROXYJUMP=a,b']]) {
      expect(jumpOption(words)).toEqual({ kind: 'jump', spec: 'a,b' });
    }
  });

  it('takes the first jump setting, as ssh keeps the first value it obtains', () => {
    expect(jumpOption(['-o', 'ProxyJump=first', '-J', 'second'])).toEqual({ kind: 'jump', spec: 'first' });
    expect(jumpOption(['-J', 'none', '-o', 'ProxyJump=second'])).toEqual({ kind: 'direct' });
  });

  it('reads ProxyJump none as a direct connection', () => {
    expect(jumpOption(['-o', 'ProxyJump=None'])).toEqual({ kind: 'direct' });
  });

  it('skips other options, including the values of flags that take one', () => {
    expect(jumpOption(['-o', 'StrictHostKeyChecking=no', '-C', '-vvv', '-F', './ssh-bastion.conf'])).toBeUndefined();
    // "-J" here is the file name given to -i, not an option.
    expect(jumpOption(['-i', '-J', '-o', 'UserKnownHostsFile=/dev/null'])).toBeUndefined();
    // -A and -t take no value, -p does: "-J" is its value.
    expect(jumpOption(['-Atp', '-J'])).toBeUndefined();
    expect(jumpOption(['-Ap', '22', '-J', 'gw'])).toEqual({ kind: 'jump', spec: 'gw' });
  });

  it('refuses a ProxyCommand wherever it is, but not ProxyCommand none', () => {
    const refused = {
      kind: 'problem',
      problem:
        'sets ProxyCommand, which fleetbench does not support: it is a shell command and fleetbench never runs commands from an inventory; reach the host through a jump host with -J user@bastion:port or -o ProxyJump=user@bastion:port instead',
    };
    expect(jumpOption(['-o', 'ProxyCommand=ssh -W %h:%p -q bastion'])).toEqual(refused);
    expect(jumpOption(['-J', 'gw', '-oProxyCommand nc %h %p'])).toEqual(refused);
    expect(jumpOption(['-o', 'ProxyCommand=none'])).toBeUndefined();
  });

  it('reports a flag that needs a value at the end', () => {
    expect(jumpOption(['-o', 'ForwardAgent=no', '-J'])).toEqual({ kind: 'problem', problem: 'ends with -J, which needs a value' });
  });
});
