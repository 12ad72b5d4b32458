// Undo steps, recorded as each resource is created and run newest first: a fleet that fails half
// way through starting is torn down by the same code as one that stops normally.

interface Step {
  what: string;
  run: () => Promise<void> | void;
}

export class CleanupStack {
  private readonly steps: Step[] = [];

  defer(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step even when some fail, then reports all failures at once. Running twice is a no-op. */
  async runAll(): Promise<void> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`cleanup failed:\n  ${failures.join('\n  ')}`);
  }
}
