// One teardown stack per run: everything started (containers, networks, mock servers, pg pools,
// timers) registers its stop here, and `run()` stops them in reverse order on every exit path.
// A failing stop is recorded and the rest still run: teardown must never leave things behind.
// Each stop has a deadline: a hung container engine must not hold the run in "tearing down"
// forever; what did not stop in time is reported (and `smokestack clean` removes it later, its
// owner process being gone).
import createDebug from 'debug';
import { formatDuration } from '../units/index.js';

const debug = createDebug('smokestack:teardown');

export interface TeardownFailure {
  name: string;
  error: unknown;
}

/** Per stop: removing a container takes a second or two; a hung engine never answers. */
export const STEP_DEADLINE_MS = 15_000;

export class Teardown {
  /** Teardowns of this process not yet finished: a second Ctrl-C lists what they still hold. */
  private static readonly open = new Set<Teardown>();

  /** Names of everything not yet stopped, over all teardowns of this process. */
  static pending(): string[] {
    return [...Teardown.open].flatMap((t) => t.steps.map((s) => s.name).reverse());
  }

  /**
   * A second Ctrl-C: every step not yet stopped, of every teardown of this process, is started at
   * once (not one after another behind a hung one), then each once more in teardown order, all
   * within `deadlineMs`; resolves with the names of those still not stopped. A step already being stopped is called again: container removals are
   * shared promises (src/stack/started.ts), so that costs nothing; other stops ignore a repeat.
   */
  static async force(deadlineMs: number): Promise<string[]> {
    const open = [...Teardown.open];
    const stopped = new Set<{ name: string }>();
    const stop = async (step: { name: string; stop: () => Promise<void> | void }) => {
      await Promise.resolve().then(step.stop);
      stopped.add(step);
    };
    const steps = open.flatMap((t) => [...t.steps].reverse());
    let timedOut = false;
    // Stopped by force, or meanwhile by the teardown already running (it drops a step once done).
    const done = (step: { name: string }) =>
      stopped.has(step) || !open.some((t) => t.steps.includes(step as never));
    const work = (async () => {
      await Promise.allSettled(steps.map(stop));
      // Once more, one after another in teardown order: what failed because another step was
      // still running (a network with members while its containers were removed), and the run's
      // final sweep by label, which now finds only what is left. Stops are repeatable: container
      // removals are shared promises, the rest ignore a repeat.
      // Steps that failed again (the engine still busy with an earlier removal of the same
      // container: "removal already in progress") are retried until the deadline.
      for (const step of steps) await stop(step).catch(() => {});
      while (!timedOut && steps.some((s) => !done(s))) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        for (const step of steps) if (!done(step)) await stop(step).catch(() => {});
      }
    })();
    await withDeadline(work, deadlineMs).catch(() => {
      timedOut = true;
    });
    return steps.filter((s) => !done(s)).map((s) => s.name);
  }

  private readonly steps: { name: string; stop: () => Promise<void> | void }[] = [];
  private running: Promise<TeardownFailure[]> | undefined;

  /** Registers a stop function; returns a function that unregisters it (for things stopped early). */
  add(name: string, stop: () => Promise<void> | void): () => void {
    const step = { name, stop };
    this.steps.push(step);
    Teardown.open.add(this);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  get size(): number {
    return this.steps.length;
  }

  /** Stops everything in reverse order, once, each stop within `stepDeadlineMs`; later calls await the same run. */
  run(options: { stepDeadlineMs?: number } = {}): Promise<TeardownFailure[]> {
    this.running ??= this.runSteps(options.stepDeadlineMs ?? STEP_DEADLINE_MS);
    return this.running;
  }

  private async runSteps(deadlineMs: number): Promise<TeardownFailure[]> {
    const failures: TeardownFailure[] = [];
    while (this.steps.length > 0) {
      // Left on the list until it has stopped, so a second Ctrl-C meanwhile names it.
      const step = this.steps.at(-1)!;
      debug('stopping %s', step.name);
      let timer: NodeJS.Timeout | undefined;
      try {
        await withDeadline(Promise.resolve().then(step.stop), deadlineMs, (t) => {
          timer = t;
        });
      } catch (error) {
        debug('stopping %s failed: %O', step.name, error);
        failures.push({ name: step.name, error });
      } finally {
        clearTimeout(timer);
        const i = this.steps.lastIndexOf(step);
        if (i >= 0) this.steps.splice(i, 1);
      }
    }
    Teardown.open.delete(this);
    return failures;
  }
}

/** `work`, or a rejection "did not finish within Ns" after `ms`; the timer is handed out for clearing. */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimer?: (t: NodeJS.Timeout) => void,
): Promise<T> {
  work.catch(() => {});
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not finish within ${formatDuration(ms)}`)), ms);
      timer.unref();
      onTimer?.(timer);
    }),
  ]);
}
