/** One problem in a file the user wrote. Lines and columns are 1-based; line 0 means "the file as a whole". */
export interface FileIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** `file:line:column: message`, the shape editors and terminals turn into a link to the spot. */
export function formatIssue(issue: FileIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/**
 * A file that cannot be used. Carries every issue found, not just the first, so a user fixes
 * the file in one pass instead of one error per run.
 */
export class FileIssuesError extends Error {
  readonly issues: FileIssue[];
  /** What kind of file it is, for the message's first line: `invalid inventory`. */
  readonly what: string = 'invalid file';

  constructor(issues: FileIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}
