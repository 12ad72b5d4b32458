import { FileIssuesError } from '../yaml/file-issues.js';
export { formatIssue } from '../yaml/file-issues.js';

/** An inventory that cannot be used; exit code 65. */
export class InventoryError extends FileIssuesError {
  override readonly name = 'InventoryError';
  override readonly what = 'invalid inventory';
}
