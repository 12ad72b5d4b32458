import type { Key } from 'ink';
import type { Action } from './view-state.js';

// Keys to actions. Arrows and vi keys move; Enter opens; Esc, Backspace and ← go back. Many
// terminals send DEL for Backspace, which Ink reports as `delete`, so both mean back.

export type Command = Action | { type: 'quit' };

export interface KeyMode {
  searching: boolean;
  help: boolean;
}

const NO_KEY: Key = {
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

/** Control characters that are keys of their own when they come inside a run of input. */
const CONTROL_KEYS: Record<string, Partial<Key>> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\b': { backspace: true },
  '\u007f': { delete: true },
};

/**
 * Ink hands over everything read at once as one input, split only at escape sequences: keys typed
 * faster than it reads (or sent by tmux) arrive as `jj\r`. Each character is a key of its own.
 */
export function keystrokes(input: string, key: Key): [string, Key][] {
  const chars = Array.from(input);
  if (chars.length <= 1) return [[input, key]];
  return chars.map((char) => {
    const control = CONTROL_KEYS[char];
    return control ? ['', { ...NO_KEY, ...control }] : [char, { ...NO_KEY, shift: char !== char.toLowerCase() }];
  });
}

export function commandFor(input: string, key: Key, mode: KeyMode): Command | undefined {
  if (mode.help) return { type: 'toggle-help' };
  if (mode.searching) return searchCommand(input, key);
  if (key.upArrow || input === 'k') return { type: 'move', by: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', by: 1 };
  if (key.pageUp || (key.ctrl && input === 'b')) return { type: 'page', direction: -1 };
  if (key.pageDown || (key.ctrl && input === 'f') || input === ' ') return { type: 'page', direction: 1 };
  if (key.home || input === 'g') return { type: 'edge', to: 'first' };
  if (key.end || input === 'G') return { type: 'edge', to: 'last' };
  if (key.return || key.rightArrow || input === 'l') return { type: 'open' };
  if (key.escape || key.backspace || key.delete || key.leftArrow || input === 'h') return { type: 'back' };
  if (key.tab) return { type: 'switch-tab' };
  if (input === 'f') return { type: 'cycle-filter', direction: 1 };
  if (input === 'F') return { type: 'cycle-filter', direction: -1 };
  if (input === '/') return { type: 'search-start' };
  if (input === '?') return { type: 'toggle-help' };
  if (input === 'q') return { type: 'quit' };
  return undefined;
}

function searchCommand(input: string, key: Key): Command | undefined {
  if (key.return) return { type: 'search-accept' };
  if (key.escape) return { type: 'search-cancel' };
  if (key.backspace || key.delete) return { type: 'search-erase' };
  if (key.ctrl || key.meta || input === '') return undefined;
  return { type: 'search-type', text: input };
}
