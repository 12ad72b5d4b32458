import { CleanupStack } from '../test/support/netns/cleanup-stack.js';

/**
 * Runs a benchmark with a cleanup stack that runs once, whoever asks first: Ctrl-C (or SIGTERM),
 * which still stops every host, ends every tool it started and removes every file and cgroup,
 * then exits 130; or the end of the run, which an interrupted run reaches too.
 */
export async function withCleanup(run: (cleanup: CleanupStack) => Promise<void>): Promise<void> {
  const cleanup = new CleanupStack();
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= cleanup.runAll());
  const interrupted = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await run(cleanup);
  } finally {
    await cleanUp();
  }
}
