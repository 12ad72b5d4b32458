import { describe, expect, it } from 'vitest';
import { resolveIdentityPath } from '../../src/inventory/identity-path.js';

const ctx = { homeDir: '/home/tester', relativeTo: '/srv/fleet' };

describe('resolveIdentityPath', () => {
  it('expands ~ and ~/ to the home directory', () => {
    expect(resolveIdentityPath('~', ctx)).toEqual({ path: '/home/tester' });
    expect(resolveIdentityPath('~/.ssh/id_ed25519', ctx)).toEqual({ path: '/home/tester/.ssh/id_ed25519' });
  });

  it('resolves relative paths from the directory it is given', () => {
    expect(resolveIdentityPath('keys/dc1', ctx)).toEqual({ path: '/srv/fleet/keys/dc1' });
    expect(resolveIdentityPath('./keys/dc1', ctx)).toEqual({ path: '/srv/fleet/keys/dc1' });
    expect(resolveIdentityPath('../shared/key', ctx)).toEqual({ path: '/srv/shared/key' });
  });

  it('keeps absolute paths, normalised', () => {
    expect(resolveIdentityPath('/etc/fleet/keys//dc1', ctx)).toEqual({ path: '/etc/fleet/keys/dc1' });
  });

  it('rejects empty paths, control characters and ~user', () => {
    expect(resolveIdentityPath('', ctx)).toEqual({ problem: 'is empty' });
    expect(resolveIdentityPath('key\n', ctx)).toEqual({ problem: 'contains a control character' });
    expect(resolveIdentityPath('~ops/.ssh/id', ctx)).toEqual({
      problem: 'uses ~user, which is not supported; write the full path or ~/ for your own home',
    });
  });
});
