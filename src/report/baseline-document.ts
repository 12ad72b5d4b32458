import type { Evidence, Finding, Status } from '../model.js';
import { STATUSES } from '../model.js';
import { SCHEMA_VERSION } from '../version.js';

// A baseline is a JSON result written by an earlier run, maybe by another fleetbench version.
// Any result with the same schema major version is readable: minor versions only add fields
// (schema/README.md), so this reads the fields a comparison needs, checks their types, and
// ignores the rest. Anything else is refused with a message that says what to do.

/** A baseline file that cannot be compared with; the CLI treats it as an invalid input file. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

export interface BaselineDocument {
  startedAt: string;
  findings: Finding[];
}

const MAX_PROBLEMS_SHOWN = 5;
const FINDING_TEXT_FIELDS = ['host', 'cluster', 'ruleId', 'control', 'title', 'reason', 'expected', 'actual', 'remediation'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readBaselineDocument(previous: unknown, file: string): BaselineDocument {
  const notAResult = `${file} is not a fleetbench JSON result (write one with -o results.json)`;
  if (!isObject(previous)) throw new BaselineError(notAResult);
  const version = previous.schemaVersion;
  const parsed = typeof version === 'string' ? /^(\d+)\.(\d+)$/.exec(version) : null;
  if (parsed === null) throw new BaselineError(`${notAResult}: it has no schemaVersion such as "${SCHEMA_VERSION}"`);
  const ourMajor = SCHEMA_VERSION.split('.')[0]!;
  if (parsed[1] !== ourMajor) {
    const writer = isObject(previous.tool) && typeof previous.tool.version === 'string' ? ` (fleetbench ${previous.tool.version})` : '';
    throw new BaselineError(
      `${file} was written with result schema ${version}${writer}; this fleetbench reads schema ${ourMajor}.x. ` +
        'Compare with a baseline written by a fleetbench of the same schema major version, or start a new baseline from this scan.',
    );
  }

  const problems: string[] = [];
  if (typeof previous.startedAt !== 'string' || Number.isNaN(Date.parse(previous.startedAt))) problems.push('startedAt must be a date and time');
  if (!Array.isArray(previous.findings)) problems.push('findings must be a list');
  const findings = Array.isArray(previous.findings) ? previous.findings.map((item, i) => readFinding(item, `findings[${i}]`, problems)) : [];
  if (problems.length > 0) {
    const more = problems.length > MAX_PROBLEMS_SHOWN ? ` (and ${problems.length - MAX_PROBLEMS_SHOWN} more)` : '';
    throw new BaselineError(`${file} is not a valid fleetbench result: ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}${more}`);
  }
  return { startedAt: previous.startedAt as string, findings };
}

/**
 * The finding as the baseline recorded it: only the fields of this schema version, so that a
 * newer minor version's additions do not leak into this run's result. Its own `change` and
 * `waiver` are dropped: they described that run, against its own baseline and waiver file.
 */
function readFinding(item: unknown, path: string, problems: string[]): Finding {
  if (!isObject(item)) {
    problems.push(`${path} must be an object`);
    return {} as Finding;
  }
  const text: Partial<Record<(typeof FINDING_TEXT_FIELDS)[number], string>> = {};
  for (const field of FINDING_TEXT_FIELDS) {
    const value = item[field];
    if (typeof value === 'string') text[field] = value;
    else problems.push(`${path}.${field} must be text`);
  }
  if (!STATUSES.includes(item.status as Status)) problems.push(`${path}.status must be one of ${STATUSES.join(', ')}`);
  const evidence = Array.isArray(item.evidence) ? item.evidence.map((e, i) => readEvidence(e, `${path}.evidence[${i}]`, problems)) : [];
  if (!Array.isArray(item.evidence)) problems.push(`${path}.evidence must be a list`);
  return { ...(text as Record<(typeof FINDING_TEXT_FIELDS)[number], string>), status: item.status as Status, evidence };
}

function readEvidence(item: unknown, path: string, problems: string[]): Evidence {
  if (!isObject(item) || typeof item.source !== 'string' || (item.value !== null && typeof item.value !== 'string')) {
    problems.push(`${path} must have text source and a text or null value`);
    return { source: '', value: null };
  }
  if (item.key !== undefined && typeof item.key !== 'string') problems.push(`${path}.key must be text`);
  return typeof item.key === 'string' ? { source: item.source, key: item.key, value: item.value } : { source: item.source, value: item.value };
}
