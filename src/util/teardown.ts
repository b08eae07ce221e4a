// One teardown stack per run: everything started (containers, networks, mock servers, pg pools,
// timers) registers its stop here, and `run()` stops them in reverse order on every exit path.
// A failing stop is recorded and the rest still run: teardown must never leave things behind.
import createDebug from 'debug';

const debug = createDebug('smokestack:teardown');

export interface TeardownFailure {
  name: string;
  error: unknown;
}

export class Teardown {
  private readonly steps: { name: string; stop: () => Promise<void> | void }[] = [];
  private running: Promise<TeardownFailure[]> | undefined;

  /** Registers a stop function; returns a function that unregisters it (for things stopped early). */
  add(name: string, stop: () => Promise<void> | void): () => void {
    const step = { name, stop };
    this.steps.push(step);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  get size(): number {
    return this.steps.length;
  }

  /** Stops everything in reverse order, once; later calls await the same run. */
  run(): Promise<TeardownFailure[]> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<TeardownFailure[]> {
    const failures: TeardownFailure[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      debug('stopping %s', step.name);
      try {
        await step.stop();
      } catch (error) {
        debug('stopping %s failed: %O', step.name, error);
        failures.push({ name: step.name, error });
      }
    }
    return failures;
  }
}
