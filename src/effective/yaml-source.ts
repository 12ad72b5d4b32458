import { LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';

// YAML read from a host, with the line of each node kept for evidence. Host files are untrusted:
// parse errors are returned, never thrown, and aliases are capped.

export interface YamlSource {
  doc: Document.Parsed;
  /** 1-based line of a node, or undefined when the node has no position. */
  lineOf(node: unknown): number | undefined;
  errors: string[];
}

export function parseYamlSource(text: string, options: { yaml11?: boolean } = {}): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    // etcd reads its config file with go-yaml v2, which is YAML 1.1 (yes/no/on/off are booleans).
    version: options.yaml11 ? '1.1' : '1.2',
  });
  return {
    doc,
    lineOf(node: unknown) {
      const range = (node as Node | undefined)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    },
    errors: doc.errors.map((e) => e.message.split('\n')[0] ?? e.message),
  };
}

/** A YAML scalar's value as the text a Go program would get for it: numbers and booleans as written, null as nothing. */
export function scalarString(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return value === null || value === undefined ? '' : JSON.stringify(value);
  }
}
