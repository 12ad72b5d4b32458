import { describe, expect, it } from 'vitest';
import { parseJumpChain } from '../../src/inventory/jump-spec.js';

describe('parseJumpChain', () => {
  it('reads [user@]host[:port] hops in the order written', () => {
    expect(parseJumpChain('ops@gw.example.com:2222,bastion.dc2,jump@10.0.0.1')).toEqual({
      hops: [{ host: 'gw.example.com', port: 2222, user: 'ops' }, { host: 'bastion.dc2' }, { host: '10.0.0.1', user: 'jump' }],
    });
  });

  it('accepts ssh:// URIs and bracketed IPv6 addresses', () => {
    expect(parseJumpChain('ssh://ops@[fd00::1]:2200, [fd00::2]')).toEqual({
      hops: [{ host: 'fd00::1', port: 2200, user: 'ops' }, { host: 'fd00::2' }],
    });
  });

  it('splits the user at the last "@"', () => {
    expect(parseJumpChain('a@b@gw')).toEqual({
      problem:
        'jump host "a@b@gw" has user "a@b", which is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-")',
    });
  });

  it('reports what is wrong with a hop, naming it', () => {
    expect(parseJumpChain('gw,,b')).toEqual({ problem: 'jump host "" is empty (a leading, trailing or doubled ",")' });
    expect(parseJumpChain('gw:ssh')).toEqual({ problem: 'jump host "gw:ssh" has port "ssh", which is not a whole number from 1 to 65535' });
    expect(parseJumpChain('gw:70000')).toEqual({ problem: 'jump host "gw:70000" has port "70000", which is not a whole number from 1 to 65535' });
    expect(parseJumpChain('fd00::1')).toEqual({ problem: 'jump host "fd00::1" has more than one ":"; write an IPv6 address in brackets, e.g. [fd00::1]:22' });
    expect(parseJumpChain('ops@-oProxyCommand=x')).toEqual({
      problem: 'jump host "ops@-oProxyCommand=x" has host "-oProxyCommand=x", which starts with "-", which ssh would read as an option',
    });
  });
});
