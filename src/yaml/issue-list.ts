import type { LineCounter } from 'yaml';
import type { Place } from '../model.js';
import type { FileIssue, FileIssuesError } from './file-issues.js';

/** Anything the yaml parser gave a source range: nodes, and errors via their `pos`. */
export interface Located {
  range?: readonly [number, number, number] | null;
  /**
   * The list of the file the range is in, when that may not be the list it is reported to: an
   * Ansible inventory read from the files of a folder is one inventory, and a problem with a host
   * belongs to the file that wrote it.
   */
  list?: IssueList;
}

/** Where a problem with the file as a whole is reported: line 1, column 1. */
export const START_OF_FILE: Located = { range: [0, 0, 0] };

/**
 * Collects issues while a user's YAML file is read, turning source offsets into line and column,
 * so that validation can go on after the first problem and report them all at once.
 */
export class IssueList {
  private readonly found: FileIssue[] = [];

  constructor(
    /** The file the issues are in. */
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly makeError: (issues: FileIssue[]) => FileIssuesError,
  ) {}

  /** Records `message` at the start of `node`, or of `fallback` when `node` has no position (an empty value). */
  add(node: Located | null | undefined, message: string, fallback?: Located): void {
    const owner = node?.list ?? (node?.range ? undefined : fallback?.list);
    if (owner !== undefined && owner !== this) {
      owner.add(node, message, fallback);
      return;
    }
    this.addAtOffset(node?.range?.[0] ?? fallback?.range?.[0] ?? 0, message);
  }

  addAtOffset(offset: number, message: string): void {
    const { line, col } = this.lineCounter.linePos(offset);
    this.found.push({ file: this.file, line, column: col, message });
  }

  /** `file:line:column` of `node`, for messages that refer to another spot in the file. */
  where(node: Located): string {
    const { file, line, column } = this.place(node);
    return `${file}:${line}:${column}`;
  }

  /** The file, line and column of `node`. */
  place(node: Located): Place {
    if (node.list !== undefined && node.list !== this) return node.list.place(node);
    const { line, col } = this.lineCounter.linePos(node.range?.[0] ?? 0);
    return { file: this.file, line, column: col };
  }

  /** The issues found so far, in the order they appear in the file (the sort is stable). */
  sorted(): FileIssue[] {
    return [...this.found].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Throws the issues found so far, in file order. */
  throwIfAny(): void {
    if (this.found.length === 0) return;
    throw this.makeError(this.sorted());
  }
}
