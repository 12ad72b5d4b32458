import { describe, expect, it } from 'vitest';
import { formatIssue, InventoryError } from '../../src/inventory/errors.js';

describe('InventoryError', () => {
  it('renders every issue as file:line:column: message, one per line', () => {
    const error = new InventoryError([
      { file: 'fleet.yaml', line: 3, column: 9, message: 'port must be a whole number from 1 to 65535, got the text "22"' },
      { file: 'fleet.yaml', line: 12, column: 7, message: 'unknown key "jump" in a host' },
    ]);
    expect(error.message).toBe(
      'fleet.yaml:3:9: port must be a whole number from 1 to 65535, got the text "22"\n' + 'fleet.yaml:12:7: unknown key "jump" in a host',
    );
    expect(error.issues).toHaveLength(2);
    expect(error.name).toBe('InventoryError');
    expect(error).toBeInstanceOf(Error);
  });

  it('formats a whole-file issue with line and column 0', () => {
    expect(formatIssue({ file: '/etc/fleet.yaml', line: 0, column: 0, message: 'cannot read the inventory' })).toBe(
      '/etc/fleet.yaml:0:0: cannot read the inventory',
    );
  });
});
