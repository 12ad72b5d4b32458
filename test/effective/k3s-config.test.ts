import { describe, expect, it } from 'vitest';
import { commandLineArgs, configArgs, lastOf } from '../../src/effective/k3s-config.js';

const values = (files: { path: string; text: string }[], flag: string) => {
  const read = configArgs(files);
  if (!read.ok) throw new Error(read.error);
  return read.args.filter((arg) => arg.flag === flag).map((arg) => arg.value);
};

// k3s-io/k3s pkg/configfilearg/parser.go readConfigFile and the cases of the research (F.3).
describe('configArgs: k3s config files as k3s merges them', () => {
  it('lets a later file replace a key of an earlier one (#49), lists too (#52)', () => {
    const files = [
      { path: '/etc/rancher/k3s/config.yaml', text: 'data-dir: /a\ntls-san: [a]\n' },
      { path: '/etc/rancher/k3s/config.yaml.d/10.yaml', text: 'data-dir: /b\ntls-san: [b]\n' },
    ];
    expect(values(files, 'data-dir')).toEqual(['/b']);
    expect(values(files, 'tls-san')).toEqual(['b']);
  });

  it('appends with a key ending in + (#51)', () => {
    expect(
      values(
        [
          { path: '/c', text: 'tls-san: [a]\n' },
          { path: '/c.d/x.yaml', text: 'tls-san+: [b]\n' },
        ],
        'tls-san',
      ),
    ).toEqual(['a', 'b']);
  });

  it('prints scalars as convert.ToString does, and keeps where each came from', () => {
    const read = configArgs([{ path: '/c', text: 'cluster-init: true\ndata-dir: /x\n' }]);
    expect(read).toEqual({
      ok: true,
      args: [
        { flag: 'cluster-init', value: 'true', evidence: { source: '/c line 1', key: 'cluster-init', value: 'true' } },
        { flag: 'data-dir', value: '/x', evidence: { source: '/c line 2', key: 'data-dir', value: '/x' } },
      ],
    });
  });

  it('refuses a file that is not YAML, as k3s does at start', () => {
    expect(configArgs([{ path: '/c', text: 'data-dir: [' }])).toMatchObject({ ok: false, error: expect.stringMatching(/^\/c: not valid YAML/) as unknown });
  });
});

describe('commandLineArgs and lastOf: the command line wins, the last occurrence of a flag (#54)', () => {
  it('reads --flag=value, --flag value, -d value and bare booleans', () => {
    const cli = commandLineArgs(['--cluster-init', '-d', '/one', '--data-dir=/two', '--token', 'x'], new Set(['data-dir', 'd', 'token']), 'ExecStart');
    expect(lastOf(cli, ['data-dir', 'd'])?.value).toBe('/two');
    expect(lastOf(cli, ['cluster-init'])?.value).toBe('true');
    expect(lastOf(cli, ['token'])?.value).toBe('x');
  });

  it('puts the command line after the config files', () => {
    const config = configArgs([{ path: '/c', text: 'data-dir: /a\n' }]);
    const cli = commandLineArgs(['--data-dir', '/c'], new Set(['data-dir']), 'ExecStart');
    expect(config.ok && lastOf([...config.args, ...cli], ['data-dir', 'd'])?.value).toBe('/c');
  });
});
