import { describe, expect, it } from 'vitest';
import { COMMANDS, SCAN } from '../../src/cli/commands.js';
import { commandHelp, parseCommand, UsageError } from '../../src/cli/option-table.js';
import type { CommandSpec } from '../../src/cli/option-table.js';
import { thrownMessage } from '../support/thrown.js';

function refusal(command: CommandSpec, args: string[]): string {
  return thrownMessage(() => parseCommand(command, args), UsageError);
}

describe('parseCommand', () => {
  it("reads Ansible's short options, repeated values in order, aliases and counted flags", () => {
    const { values } = parseCommand(SCAN, [
      '-i',
      'a.yaml',
      '-i',
      'dir',
      '-b',
      '-u',
      'ops',
      '-K',
      '--forks',
      '8',
      '--identity',
      'k1',
      '--private-key',
      'k2',
      '-vv',
      '-l',
      'dc1:!cp3',
    ]);
    expect(values).toEqual({
      inventory: ['a.yaml', 'dir'],
      become: true,
      user: 'ops',
      'ask-become-pass': true,
      concurrency: '8',
      'private-key': ['k1', 'k2'],
      verbose: 2,
      limit: 'dc1:!cp3',
    });
    expect(parseCommand(SCAN, ['--ask-sudo-password', '--user=-odd']).values).toEqual({ 'ask-become-pass': true, user: '-odd' });
  });

  it('names the option at fault and the nearest one, and what other tools mean by an option fleetbench lacks', () => {
    expect(refusal(SCAN, ['--concurency', '4'])).toBe('unknown option --concurency for scan; did you mean --concurrency? (fleetbench scan --help lists them)');
    expect(refusal(SCAN, ['--fleet', 'x'])).toBe('unknown option --fleet for scan (fleetbench scan --help lists them)');
    expect(refusal(SCAN, ['-k'])).toMatch(/^scan has no option -k: fleetbench asks for no SSH password: give a key with --private-key FILE/);
    expect(refusal(SCAN, ['-u', '-b'])).toBe('-u needs a value (USER), got the option -b; write --user=-b if that is the value');
    expect(refusal(SCAN, ['-i'])).toBe('-i needs a value: -i PATH');
    expect(refusal(SCAN, ['--become=yes'])).toBe('--become takes no value, got "yes"');
    expect(refusal(SCAN, ['-b', '1.6'])).toBe('-b takes no value, got "1.6" (-b is --become, as in ansible; the benchmark is --benchmark VERSION)');
    expect(refusal(SCAN, ['results.json'])).toBe('scan takes no argument "results.json": fleetbench scan -i INVENTORY [options]');
  });
});

describe('the help of each command', () => {
  it('lists every option of its table but the hidden ones, with their short names, values and aliases', () => {
    for (const command of COMMANDS) {
      const help = commandHelp(command);
      expect(help.startsWith(`Usage: fleetbench ${command.usage}\n`)).toBe(true);
      for (const option of command.options) {
        const names = `${option.short ? `-${option.short}, ` : ''}--${option.name}${option.value ? ` ${option.value}` : ''}`;
        if (option.hidden) expect(help, `${command.name} --${option.name}`).not.toContain(`--${option.name}`);
        else expect(help, `${command.name} --${option.name}`).toContain(names);
        for (const alias of option.aliases ?? []) expect(help).toContain(`--${alias}`);
      }
      expect(Math.max(...help.split('\n').map((line) => line.length)), command.name).toBeLessThanOrEqual(100);
    }
  });
});
