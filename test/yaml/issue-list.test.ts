import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { IssueList } from '../../src/yaml/issue-list.js';

function listFor(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node = (...path: string[]): Node => {
    const found = doc.getIn(path, true);
    if (!isNode(found)) throw new Error(`no node at ${path.join('.')}`);
    return found;
  };
  return { node, issues: new IssueList('fleet.yaml', lineCounter, (found) => new InventoryError(found)) };
}

function thrown(issues: IssueList): InventoryError {
  try {
    issues.throwIfAny();
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error('expected an InventoryError');
}

describe('IssueList', () => {
  it('does not throw when nothing was added', () => {
    const { issues } = listFor('a: 1\n');
    expect(() => issues.throwIfAny()).not.toThrow();
  });

  it('points at the start of a node, 1-based, and sorts issues by position', () => {
    const { node, issues } = listFor('first: 1\nsecond:\n  port: x\n');
    issues.add(node('second', 'port'), 'late');
    issues.add(node('first'), 'early');
    expect(thrown(issues).issues).toEqual([
      { file: 'fleet.yaml', line: 1, column: 8, message: 'early' },
      { file: 'fleet.yaml', line: 3, column: 9, message: 'late' },
    ]);
  });

  it('falls back to another node when the first is missing', () => {
    const { node, issues } = listFor('a: 1\nb: 2\n');
    issues.add(null, 'missing', node('b'));
    expect(thrown(issues).message).toBe('fleet.yaml:2:4: missing');
  });

  it('records raw offsets, as the parser reports its errors', () => {
    const { issues } = listFor('a: 1\nb: 2\n');
    issues.addAtOffset(6, 'at b');
    expect(thrown(issues).message).toBe('fleet.yaml:2:2: at b');
  });

  it('names another spot as file:line:column', () => {
    const { node, issues } = listFor('a: 1\nb:   2\n');
    expect(issues.where(node('b'))).toBe('fleet.yaml:2:6');
  });
});
