import { STATUSES } from '../status.js';
import { readFile } from 'node:fs/promises';
import type { ScanResult } from '../model.js';
import { CHANGES, ERROR_KINDS, PRIVILEGES } from '../model.js';
import { escaped } from '../report/terminal-text.js';

// A result file is untrusted input: anyone can hand an auditor one. Every message below that
// quotes it (a value, the file's name, the JSON parser's excerpt of it) is built with `escaped`,
// so that it cannot act on the terminal it is printed to.

/** A saved result that cannot be read (by `fleetbench report`, or as a --baseline): exit 65 with what is wrong with it. */
export class ResultFileError extends Error {
  override name = 'ResultFileError';
}

const SUPPORTED_MAJOR = 1;
const PROBLEMS_SHOWN = 5;

export async function readResultFile(path: string): Promise<ScanResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultFileError(escaped`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseResult(text, path);
}

/**
 * A saved result, checked for everything the reports read, so that a wrong or damaged file is
 * refused with the field at fault rather than breaking the report halfway.
 */
export function parseResult(text: string, source: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ResultFileError(
      escaped`${source} is not JSON (${(error as Error).message}); expected a result written by fleetbench --format json or -o FILE.json`,
    );
  }
  return validateResult(value, source);
}

/**
 * A result document of any fleetbench version with the same schema major version (minor versions
 * only add fields, schema/README.md), checked for everything the reports and comparisons read.
 */
export function validateResult(value: unknown, source: string): ScanResult {
  if (!isRecord(value) || !('schemaVersion' in value)) {
    throw new ResultFileError(
      escaped`${source} is not a fleetbench result: it has no schemaVersion; expected a file written by fleetbench --format json or -o FILE.json`,
    );
  }
  const version = value.schemaVersion;
  const major = typeof version === 'string' ? Number(/^(\d+)\./.exec(version)?.[1]) : NaN;
  if (major !== SUPPORTED_MAJOR) {
    const writer = isRecord(value.tool) && typeof value.tool.version === 'string' ? ` (written by fleetbench ${value.tool.version})` : '';
    throw new ResultFileError(
      escaped`${source}: schemaVersion ${JSON.stringify(version)}${writer} is not supported; this fleetbench reads results of schema version ${SUPPORTED_MAJOR}.x`,
    );
  }
  const problems = resultProblems(value);
  if (problems.length > 0) {
    // One problem a line: each is escaped already, where it quotes the file.
    const shown = problems
      .slice(0, PROBLEMS_SHOWN)
      .map((p) => `\n  ${p}`)
      .join('');
    const more = problems.length > PROBLEMS_SHOWN ? `\n  … and ${problems.length - PROBLEMS_SHOWN} more` : '';
    throw new ResultFileError(escaped`${source} is not a valid fleetbench result:` + shown + more);
  }
  return value as unknown as ScanResult;
}

type Check = (value: unknown) => string | undefined;

const string: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const number: Check = (v) => (typeof v === 'number' ? undefined : 'must be a number');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const stringOrNull: Check = (v) => (v === null || typeof v === 'string' ? undefined : 'must be a string or null');
const status = oneOf(STATUSES);

function oneOf(values: readonly string[]): Check {
  return (v) => (values.includes(v as never) ? undefined : `must be one of ${values.join(', ')}`);
}

interface Shape {
  required: Record<string, Check | Shape | ArrayOf>;
  optional?: Record<string, Check | Shape | ArrayOf>;
}

interface ArrayOf {
  items: Shape | Check;
}

const HOST: Shape = {
  required: {
    name: string,
    cluster: string,
    address: string,
    port: number,
    reached: boolean,
    problems: { items: { required: { subject: string, reason: string } } },
  },
  optional: { error: string, errorKind: oneOf(ERROR_KINDS), privilege: oneOf(PRIVILEGES) },
};

const WAIVER: Shape = { required: { justification: string, expires: string, source: string } };

const FINDING: Shape = {
  required: {
    host: string,
    cluster: string,
    ruleId: string,
    control: string,
    title: string,
    status,
    reason: string,
    expected: string,
    actual: string,
    evidence: { items: { required: { source: string, value: stringOrNull }, optional: { key: string } } },
    remediation: string,
  },
  optional: { waiver: WAIVER, change: oneOf(CHANGES) },
};

const strings: ArrayOf = { items: string };

const SELECTION: Shape = {
  required: { hostsLeftOut: number, rulesLeftOut: strings },
  optional: { limit: string, check: strings, skip: strings },
};

const RESULT: Shape = {
  required: {
    tool: { required: { name: string, version: string } },
    benchmark: string,
    startedAt: string,
    finishedAt: string,
    clusters: { items: { required: { name: string, memberCount: number, memberCountBasis: string }, optional: { notScanned: strings } } },
    hosts: { items: HOST },
    findings: { items: FINDING },
  },
  optional: {
    inventory: string,
    baseline: {
      required: {
        file: string,
        startedAt: string,
        counts: { required: { new: number, unchanged: number, changed: number, resolved: number } },
        resolved: { items: FINDING },
      },
      optional: { notCompared: { required: { hostsOnlyNow: strings, hostsOnlyBefore: strings, rulesOnlyNow: strings, rulesOnlyBefore: strings } } },
    },
    expiredWaivers: { items: { required: { ...WAIVER.required, rule: string, hosts: string } } },
    interrupted: boolean,
    selection: SELECTION,
    mergedFrom: {
      items: { required: { file: string, inventory: string, startedAt: string, finishedAt: string, hosts: number }, optional: { selection: SELECTION } },
    },
  },
};

function resultProblems(value: Record<string, unknown>): string[] {
  return shapeProblems(value, RESULT, '');
}

function shapeProblems(value: unknown, shape: Shape, path: string): string[] {
  if (!isRecord(value)) return [`${path || 'the file'}: must be an object`];
  const problems: string[] = [];
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const [key, check] of Object.entries(shape.required)) {
    if (!(key in value)) problems.push(`${at(key)}: missing`);
    else problems.push(...fieldProblems(value[key], check, at(key)));
  }
  for (const [key, check] of Object.entries(shape.optional ?? {})) {
    if (value[key] !== undefined) problems.push(...fieldProblems(value[key], check, at(key)));
  }
  return problems;
}

function fieldProblems(value: unknown, check: Check | Shape | ArrayOf, path: string): string[] {
  if (typeof check === 'function') {
    const problem = check(value);
    const shown: string | undefined = JSON.stringify(value);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify gives undefined for undefined, whatever its type says
    return problem === undefined ? [] : [escaped`${path}: ${problem}, got ${(shown ?? 'undefined').slice(0, 60)}`];
  }
  if ('items' in check) {
    if (!Array.isArray(value)) return [`${path}: must be a list`];
    return value.flatMap((item, i) => fieldProblems(item, check.items, `${path}[${i}]`));
  }
  return shapeProblems(value, check, path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
