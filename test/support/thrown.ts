/** The message of the `type` error `run` throws; fails the test when it throws none, or another. */
export function thrownMessage(run: () => unknown, type: abstract new (...args: never[]) => Error): string {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error.message;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
