import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/cli/options.js';
import { scanSettings } from '../../src/cli/options.js';

const terminal: Environment = { stdoutIsTTY: true, stdinIsTTY: true, env: {}, home: '/nonexistent' };

describe('interactive or plain', () => {
  it('is interactive when a person is at a terminal, and then prints no plain report', () => {
    const settings = scanSettings({}, terminal);
    expect(settings.interactive).toBe(true);
    expect(settings.stdoutFormat).toBeUndefined();
  });

  it('stays plain under cron, in a pipe, with stdin redirected, or when asked', () => {
    expect(scanSettings({}, { ...terminal, stdoutIsTTY: false })).toMatchObject({ interactive: false, stdoutFormat: 'text' });
    expect(scanSettings({}, { ...terminal, stdinIsTTY: false })).toMatchObject({ interactive: false, stdoutFormat: 'text' });
    expect(scanSettings({ 'no-interactive': true }, terminal)).toMatchObject({ interactive: false, stdoutFormat: 'text' });
  });

  it('prints the format asked for instead of the interactive report', () => {
    expect(scanSettings({ format: 'json' }, terminal)).toMatchObject({ interactive: false, stdoutFormat: 'json' });
  });

  it('writes -o files and still opens the report for the person watching; cron keeps stdout quiet', () => {
    expect(scanSettings({ output: ['r.json'] }, terminal)).toMatchObject({ interactive: true, outputs: [{ path: 'r.json', format: 'json' }] });
    const cron = scanSettings({ output: ['r.json'] }, { ...terminal, stdoutIsTTY: false, stdinIsTTY: false });
    expect(cron.interactive).toBe(false);
    expect(cron.stdoutFormat).toBeUndefined();
  });

  it('leaves colors out with NO_COLOR or --no-color', () => {
    expect(scanSettings({}, terminal).color).toBe(true);
    expect(scanSettings({}, { ...terminal, env: { NO_COLOR: '1' } }).color).toBe(false);
    expect(scanSettings({ 'no-color': true }, terminal).color).toBe(false);
  });
});
