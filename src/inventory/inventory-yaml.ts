// Parsing an inventory file's YAML, shared by the native and the Ansible reader so that a file
// is parsed once, its format detected, and syntax errors reported the same way for both.

import { LineCounter, parseDocument } from 'yaml';
import type { ScalarTag, YAMLError } from 'yaml';
import { InventoryError } from './errors.js';
import { IssueList } from '../yaml/issue-list.js';
import type { Located } from '../yaml/issue-list.js';
import type { YamlReader } from '../yaml/yaml-read.js';

export const START_OF_FILE: Located = { range: [0, 0, 0] };

/**
 * Ansible's own YAML tags. Without them an inventory holding one vaulted password would not
 * load at all; with them the value reads as its (encrypted or literal) text and stays
 * unused unless fleetbench needs it, where the reader says it cannot decrypt it.
 */
export const VAULT_TAG = '!vault';
export const UNSAFE_TAG = '!unsafe';
const ANSIBLE_TAGS: ScalarTag[] = [VAULT_TAG, UNSAFE_TAG].map((tag) => ({ tag, resolve: (text: string) => text }));

/** A parsed inventory document, with the list its readers report problems to. */
export interface InventoryYaml extends YamlReader {
  file: string;
}

/**
 * Parses `text` as one YAML document. Throws `InventoryError` for syntax errors: after one the
 * document's shape is the parser's guess, and checking it would bury the real mistake under
 * messages about keys that only look misplaced.
 */
export function parseInventoryYaml(text: string, file: string): InventoryYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, customTags: ANSIBLE_TAGS });
  const issues = new IssueList(file, lineCounter, (found) => new InventoryError(found));
  for (const error of [...doc.errors, ...doc.warnings]) issues.addAtOffset(error.pos[0], yamlMessage(error));
  issues.throwIfAny();
  return { doc, issues, file };
}

function yamlMessage(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') {
    return 'the file holds more than one YAML document (a "---" line); an inventory is a single document';
  }
  return `invalid YAML: ${error.message.replace(/\s+/g, ' ')}`;
}

/** Reports `message` at `node` (or the start of the file) and throws with every issue found so far. */
export function failAt(parsed: InventoryYaml, node: Located | null | undefined, message: string): never {
  parsed.issues.add(node, message, START_OF_FILE);
  parsed.issues.throwIfAny();
  throw new Error('unreachable: throwIfAny throws once an issue is added');
}
