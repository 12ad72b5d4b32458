// --limit: Ansible's host patterns (ansible-core's InventoryManager), on fleetbench's targets.
//
// - A limit is a list of terms: separated by commas, or else by colons outside brackets
//   (`a:b`), as split_host_pattern splits them. `@FILE` (a retry file) stands for the lines of
//   FILE, each a term; the CLI reads it.
// - A term is a host or group name, a shell glob (`*`, `?`, `[abc]`, `[!abc]`, matched as
//   Python's fnmatch, whole name, case-sensitive), or `~REGEX` (matched from the start of the
//   name). It names the hosts of every group it matches; it names hosts by their own names too
//   when it matches no group, or is a glob or regex (or has a dot, as a domain name has).
// - `&TERM` keeps only the hosts TERM names too; `!TERM` drops them. Plain terms are applied
//   first, then `&`, then `!`; with no plain term the limit starts from `all`.
// - `GROUP[N]`, `GROUP[-N]`, `GROUP[N:M]`, `GROUP[N:]`: hosts by position among those GROUP
//   names, from 0, M included (Ansible's subscripts; not after a regex).
//
// Groups are `all`, each cluster, each role (`etcd`, `control-plane`, `worker`) and, for an
// Ansible inventory, its groups (with their children's hosts). Unlike Ansible, a term that
// names no host is an error, not a warning: a scan must not quietly cover less than was asked.

import type { Inventory, Target } from '../model.js';
import { nearest } from '../nearest.js';

/** A limit that cannot be applied: the message says which term and why. */
export class LimitError extends Error {
  override readonly name = 'LimitError';
}

/** The terms of a --limit value, as Ansible splits them (`@FILE` terms are left to the caller). */
export function splitLimit(limit: string): string[] {
  const parts = limit.includes(',') ? limit.split(',') : isIpv6(limit) ? [limit] : (limit.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * The targets the terms select, in inventory order. Throws `LimitError` for a term that is not a
 * valid pattern or names no host, or when nothing is left.
 */
export function applyLimit(inventory: Inventory, terms: readonly string[]): Target[] {
  const groups = groupsOf(inventory);
  const byName = new Map(inventory.targets.map((target) => [target.name, target]));
  const plain = terms.filter((term) => !term.startsWith('&') && !term.startsWith('!'));
  const ordered = [...(plain.length > 0 ? plain : ['all']), ...terms.filter((term) => term.startsWith('&')), ...terms.filter((term) => term.startsWith('!'))];
  const problems: string[] = [];
  let selected = new Set<Target>();
  for (const term of ordered) {
    let named: Target[];
    try {
      named = byName.has(term) ? [byName.get(term)!] : hostsOf(term.replace(/^[&!]/, ''), inventory.targets, groups);
    } catch (error) {
      if (!(error instanceof LimitError)) throw error;
      problems.push(error.message);
      continue;
    }
    if (named.length === 0) {
      const bare = term.replace(/^[&!]/, '');
      const guess = nearest(bare, [...groups.keys(), ...byName.keys()]);
      problems.push(`${JSON.stringify(term)} names no host, group or cluster of the inventory${guess === undefined ? '' : `; did you mean ${guess}?`}`);
      continue;
    }
    const these = new Set(named);
    if (term.startsWith('!')) selected = new Set([...selected].filter((target) => !these.has(target)));
    else if (term.startsWith('&')) selected = new Set([...selected].filter((target) => these.has(target)));
    else for (const target of named) selected.add(target);
  }
  if (problems.length > 0) throw new LimitError(problems.join('\n'));
  const targets = inventory.targets.filter((target) => selected.has(target));
  if (targets.length === 0) throw new LimitError(`${JSON.stringify(terms.join(','))} leaves no host to scan`);
  return targets;
}

/** Every group a term can name, with its targets in inventory order. */
function groupsOf(inventory: Inventory): Map<string, Target[]> {
  const groups = new Map<string, Set<Target>>([['all', new Set(inventory.targets)]]);
  const add = (group: string, target: Target) => {
    const members = groups.get(group) ?? new Set<Target>();
    groups.set(group, members.add(target));
  };
  const byName = new Map(inventory.targets.map((target) => [target.name, target]));
  for (const [group, hosts] of Object.entries(inventory.groups ?? {})) {
    groups.set(group, groups.get(group) ?? new Set());
    for (const host of hosts) {
      const target = byName.get(host);
      if (target !== undefined) add(group, target);
    }
  }
  for (const target of inventory.targets) {
    add(target.cluster, target);
    for (const role of target.roles) add(role, target);
  }
  return new Map([...groups].map(([name, members]) => [name, inventory.targets.filter((target) => members.has(target))]));
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function hostsOf(pattern: string, targets: readonly Target[], groups: ReadonlyMap<string, Target[]>): Target[] {
  const subscript = pattern.startsWith('~') ? null : SUBSCRIPT.exec(pattern);
  const expression = subscript?.[1] ?? pattern;
  const matches = matcher(expression);
  const named = new Set<Target>();
  let groupMatched = false;
  for (const [group, members] of groups) {
    if (!matches(group)) continue;
    groupMatched = true;
    for (const target of members) named.add(target);
  }
  if (!groupMatched || /^~|[.?*[]/.test(expression)) {
    for (const target of targets) if (matches(target.name)) named.add(target);
  }
  const hosts = targets.filter((target) => named.has(target));
  return subscript === null ? hosts : bySubscript(pattern, hosts, subscript);
}

function bySubscript(pattern: string, hosts: Target[], [, expression, index, start, separator, end]: RegExpExecArray): Target[] {
  if (hosts.length === 0) return hosts;
  if (separator === '-') {
    throw new LimitError(
      `${JSON.stringify(pattern)}: write the positions as [${start}:${end}] (hosts ${start} to ${end} of those ${JSON.stringify(expression)} names, from 0), as Ansible now requires`,
    );
  }
  if (index !== undefined) {
    const position = Number(index);
    const host = hosts.at(position);
    if (host === undefined)
      throw new LimitError(
        `${JSON.stringify(pattern)}: ${JSON.stringify(expression)} names ${hosts.length} hosts, which have no position ${position} (from 0)`,
      );
    return [host];
  }
  const from = Number(start);
  const to = end === undefined || end === '' ? hosts.length - 1 : Number(end);
  return hosts.slice(from, to + 1);
}

/** A test of a whole name: fnmatch's glob, or with `~` a regular expression matched from the start. */
function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.startsWith('~')) {
    const glob = new RegExp(`^(?:${globSource(pattern)})$`, 's');
    return (name) => glob.test(name);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern.slice(1)})`);
  } catch (error) {
    throw new LimitError(`${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`);
  }
  return (name) => regex.test(name);
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else stands for itself. */
function globSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        source += '\\[';
        continue;
      }
      // In JavaScript a `]` first in a class would close it, and `\` escapes: both stand for themselves here.
      let inside = pattern.slice(i + 1, j).replace(/[\\\]]/g, '\\$&');
      if (inside.startsWith('!')) inside = `^${inside.slice(1)}`;
      else if (inside.startsWith('^')) inside = `\\${inside}`;
      source += `[${inside}]`;
      i = j;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return source;
}

/** An IPv6 address (`fd00::1`), whose colons do not separate terms. */
function isIpv6(text: string): boolean {
  return /^\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*:[0-9a-fA-F.]*(?:\]:\d+)?$/.test(text) && !/[g-zG-Z]/.test(text);
}
