import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScanResult } from '../../src/model.js';
import { parseResult } from '../../src/result/result-file.js';

// fixtures/results/hostile-result.json: a saved result as an attacker would hand it to an
// auditor. Every free-text field (tool.version, benchmark, control, ruleId, host and cluster
// names, evidence, waivers, the baseline and what it did not compare, expired waivers, problems,
// error, the --limit, --check and --skip of the selection, the files and inventories a merged
// report names, the hosts a cluster left out) is its own text followed by PAYLOAD; only what
// validation checks against a list (status, change, errorKind, privilege, roles) and numbers are
// ordinary. The file writes the payload as \u escapes, so it is safe to look at.

export const HOSTILE_RESULT_FILE = fileURLToPath(new URL('../../fixtures/results/hostile-result.json', import.meta.url));

/**
 * OSC 52 (write the clipboard), OSC 0 (set the window title), CSI 2J (clear the screen), the
 * one-byte C1 CSI U+009B, NEL U+0085, LINE SEPARATOR, a right-to-left override, a left-to-right
 * isolate, LRM and ALM.
 */
export const PAYLOAD = '\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b]0;owned\u0007\u001b[2J\u009b31m\u0085\u2028\u202e\u2066\u200e\u061c';
/** The payload as the JSON output writes it: every character of it that could act, as a \u escape. */
export const PAYLOAD_IN_JSON = '\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u0085\\u2028\\u202e\\u2066\\u200e\\u061c';
/**
 * The payload as the text report, the TUI, CSV, HTML and JUnit show it: every character that
 * could act spelled out. LINE SEPARATOR stays: it is text there; only JSON read as JavaScript trips on it.
 */
export const PAYLOAD_SHOWN = '\\e]52;c;ZWNobyBwd25lZA==\\x07\\e]0;owned\\x07\\e[2J\\x9b31m\\x85\u2028\\u202e\\u2066\\u200e\\u061c';

/** The file as JSON.parse reads it, for comparing what a writer gives back. */
export function hostileDocument(): unknown {
  return JSON.parse(readFileSync(HOSTILE_RESULT_FILE, 'utf8'));
}

/** The file as `fleetbench report` reads it. */
export function hostileResult(): ScanResult {
  return parseResult(readFileSync(HOSTILE_RESULT_FILE, 'utf8'), HOSTILE_RESULT_FILE);
}

/**
 * The hostile result with the payload in the fields validation would refuse it in (privilege,
 * errorKind, roles) too: a writer must escape whatever it is given, checked or not.
 */
export function unvalidatedHostileResult(): ScanResult {
  const result = hostileResult();
  const hostile = <T>(value: T) => `${String(value)}${PAYLOAD}` as T;
  return {
    ...result,
    hosts: result.hosts.map((host) => ({
      ...host,
      roles: host.roles.map(hostile),
      ...(host.privilege === undefined ? {} : { privilege: hostile(host.privilege) }),
      ...(host.errorKind === undefined ? {} : { errorKind: hostile(host.errorKind) }),
    })),
  };
}

// Characters that act on a terminal or reorder what it shows: C0 controls but tab and newline,
// DEL, C1 controls, bidi marks, overrides and isolates. Written out here rather than taken from
// src/, so that the tests do not trust the class they check.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The raw control characters in `text`, as `U+001B`, for a readable failure: none may be written. */
export function rawControls(text: string): string[] {
  return (text.match(RAW_CONTROL) ?? []).map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}
