import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { commandFor, keystrokes } from '../../../src/report/tui/report/keymap.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const browsing = { searching: false, help: false };

describe('commandFor', () => {
  it('maps arrows and vi keys, Enter, Esc and Backspace (which many terminals send as DEL)', () => {
    expect(commandFor('', { ...none, downArrow: true }, browsing)).toEqual({ type: 'move', by: 1 });
    expect(commandFor('k', none, browsing)).toEqual({ type: 'move', by: -1 });
    expect(commandFor('', { ...none, return: true }, browsing)).toEqual({ type: 'open' });
    for (const key of [{ escape: true }, { backspace: true }, { delete: true }, { leftArrow: true }]) {
      expect(commandFor('', { ...none, ...key }, browsing)).toEqual({ type: 'back' });
    }
    expect(commandFor('q', none, browsing)).toEqual({ type: 'quit' });
    expect(commandFor('f', none, browsing)).toEqual({ type: 'cycle-filter', direction: 1 });
    expect(commandFor('', { ...none, tab: true }, browsing)).toEqual({ type: 'switch-tab' });
    expect(commandFor('x', none, browsing)).toBeUndefined();
  });

  it('types letters into a search instead of acting on them', () => {
    const searching = { searching: true, help: false };
    expect(commandFor('q', none, searching)).toEqual({ type: 'search-type', text: 'q' });
    expect(commandFor('', { ...none, delete: true }, searching)).toEqual({ type: 'search-erase' });
    expect(commandFor('', { ...none, escape: true }, searching)).toEqual({ type: 'search-cancel' });
    expect(commandFor('', { ...none, return: true }, searching)).toEqual({ type: 'search-accept' });
  });

  it('closes the help on any key, q included', () => {
    expect(commandFor('q', none, { searching: false, help: true })).toEqual({ type: 'toggle-help' });
  });
});

describe('keystrokes', () => {
  it('splits keys that arrived together, Enter and Backspace included', () => {
    const keys = keystrokes('jj\r\u007f', none);
    expect(keys.map(([input]) => input)).toEqual(['j', 'j', '', '']);
    expect(keys.map(([input, key]) => commandFor(input, key, browsing)?.type)).toEqual(['move', 'move', 'open', 'back']);
  });

  it('passes a single key through untouched', () => {
    const key = { ...none, upArrow: true };
    expect(keystrokes('', key)).toEqual([['', key]]);
  });
});
