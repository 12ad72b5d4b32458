import { userInfo } from 'node:os';
import { userProblem } from './value-checks.js';

/** The local user name, which ssh logs in as when nothing else names a user; undefined when it cannot be found out. */
export function localUserName(): string | undefined {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid, as in some containers.
    return undefined;
  }
}

/**
 * The local user name as the login for hosts whose inventory names none, or why it cannot be,
 * as a clause for messages: `the local user name "9x", used instead, is not a valid user name`.
 */
export function localUserFallback(local: string | undefined): { user: string } | { problem: string } {
  if (local === undefined) return { problem: 'the local user name, used instead, could not be determined' };
  const problem = userProblem(local);
  if (problem === undefined) return { user: local };
  return { problem: `the local user name ${JSON.stringify(local)}, used instead, ${problem}` };
}
