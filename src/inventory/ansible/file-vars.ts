// The variables of group_vars/ and host_vars/ files (found by vars-files.ts), put on the
// groups and hosts of the inventory they belong to. Files of groups or hosts the inventory does
// not have are left alone, as Ansible leaves them.

import { isMap } from 'yaml';
import type { AnsibleGroup, AnsibleHost, AnsibleTree } from './tree.js';
import { namesOfEntry } from './vars-files.js';
import type { VarsFile } from './vars-files.js';
import { parseInventoryYaml } from '../inventory-yaml.js';
import type { FileIssue } from '../../yaml/file-issues.js';
import type { IssueList } from '../../yaml/issue-list.js';
import { describe, follow, isEmpty, readPairs } from '../../yaml/yaml-read.js';

const VAULT_HEADER = '$ANSIBLE_VAULT;';

export interface FileVarsOutcome {
  /** The issue lists of the files read: problems found later with their variables go there. */
  lists: IssueList[];
  /** Files of the inventory's groups or hosts that could not be read. */
  unreadable: FileIssue[];
}

/** Reads each file of a group or host of `tree` into its fileVars, in the order given (later files win). Throws InventoryError on YAML syntax errors. */
export function readFileVars(tree: AnsibleTree, files: readonly VarsFile[], warn: (message: string) => void): FileVarsOutcome {
  const outcome: FileVarsOutcome = { lists: [], unreadable: [] };
  for (const varsFile of files) {
    const owners: ReadonlyMap<string, AnsibleGroup | AnsibleHost> = varsFile.kind === 'group' ? tree.groups : tree.hosts;
    const owner = namesOfEntry(varsFile.entry)
      .map((name) => owners.get(name))
      .find((found) => found !== undefined);
    if (owner === undefined) continue;
    const what = `the variables of ${varsFile.kind} ${JSON.stringify(owner.name)}`;
    if ('unreadable' in varsFile.content) {
      outcome.unreadable.push({ file: varsFile.file, line: 0, column: 0, message: `cannot read ${what}: ${varsFile.content.unreadable}` });
      continue;
    }
    const { text } = varsFile.content;
    if (text.startsWith(VAULT_HEADER)) {
      warn(`${varsFile.file}: encrypted with Ansible Vault, which fleetbench cannot decrypt; ${what} in it are not read`);
      continue;
    }
    const parsed = parseInventoryYaml(text, varsFile.file);
    outcome.lists.push(parsed.issues);
    const root = follow(parsed, parsed.doc.contents);
    if (isEmpty(root)) continue;
    if (!isMap(root)) {
      parsed.issues.add(root, `${what} must be a mapping of variable names to values (ansible_user: ops), got ${describe(root)}`);
      continue;
    }
    for (const entry of readPairs(parsed, root, what)) {
      owner.fileVars.set(entry.name, {
        name: entry.name,
        value: entry.value,
        at: entry.at,
        owner: { kind: varsFile.kind, name: owner.name },
        issues: parsed.issues,
      });
    }
  }
  return outcome;
}
