// Reading a YAML file the user wrote (inventory, waivers): read errors and syntax errors become
// the file's own error type, with the position of each problem.

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { ScalarTag, YAMLError } from 'yaml';
import type { FileIssue, FileIssuesError } from './file-issues.js';
import { IssueList } from './issue-list.js';
import type { YamlReader } from './yaml-read.js';

type MakeError = (issues: FileIssue[]) => FileIssuesError;

/** Reads `path` as text; `what` names the file in the error ("the inventory"). */
export async function readUserFile(path: string, what: string, makeError: MakeError): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw makeError([{ file: path, line: 0, column: 0, message: `cannot read ${what}: ${reason}` }]);
  }
}

export interface UserYaml extends YamlReader {
  lineCounter: LineCounter;
}

export interface UserYamlOptions {
  customTags?: ScalarTag[];
  /** The message for a syntax error or warning; by default "invalid YAML: ..." on one line. */
  message?: (error: YAMLError) => string;
}

/**
 * Parses `text` as one YAML document. Throws for syntax errors and warnings: after one the
 * document's shape is the parser's guess, and checking it would bury the real mistake under
 * messages about keys that only look misplaced.
 */
export function parseUserYaml(text: string, file: string, makeError: MakeError, options: UserYamlOptions = {}): UserYaml {
  const { customTags, message = invalidYaml } = options;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, ...(customTags ? { customTags } : {}) });
  const issues = new IssueList(file, lineCounter, makeError);
  for (const error of [...doc.errors, ...doc.warnings]) issues.addAtOffset(error.pos[0], message(error));
  issues.throwIfAny();
  return { doc, issues, lineCounter };
}

export function invalidYaml(error: YAMLError): string {
  return `invalid YAML: ${error.message.replace(/\s+/g, ' ')}`;
}
