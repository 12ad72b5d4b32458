// Parsing an inventory file's YAML, shared by the native and the Ansible reader so that a file
// is parsed once, its format detected, and syntax errors reported the same way for both.

import type { ScalarTag, YAMLError } from 'yaml';
import { InventoryError } from './errors.js';
import { START_OF_FILE } from '../yaml/issue-list.js';
import type { Located } from '../yaml/issue-list.js';
import { invalidYaml, parseUserYaml } from '../yaml/user-file.js';
import type { YamlReader } from '../yaml/yaml-read.js';

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

/** Parses `text` as one YAML document. Throws `InventoryError` for syntax errors. */
export function parseInventoryYaml(text: string, file: string): InventoryYaml {
  const { doc, issues } = parseUserYaml(text, file, (found) => new InventoryError(found), { customTags: ANSIBLE_TAGS, message: yamlMessage });
  return { doc, issues, file };
}

function yamlMessage(error: YAMLError): string {
  if (error.code === 'MULTIPLE_DOCS') {
    return 'the file holds more than one YAML document (a "---" line); an inventory is a single document';
  }
  return invalidYaml(error);
}

/** Reports `message` at `node` (or the start of the file) and throws with every issue found so far. */
export function failAt(parsed: InventoryYaml, node: Located | null | undefined, message: string): never {
  parsed.issues.add(node, message, START_OF_FILE);
  parsed.issues.throwIfAny();
  throw new Error('unreachable: throwIfAny throws once an issue is added');
}
