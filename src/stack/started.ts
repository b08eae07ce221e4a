// What one startStack call has started, in order. Each stop is registered with the run's
// Teardown at once (so Ctrl-C at any moment tears it down) and is idempotent, so the stack's own
// stop(), a failed start's cleanup and the run's teardown can all call it.
import createDebug from 'debug';
import { STEP_DEADLINE_MS, type Teardown, withDeadline } from '../util/teardown.js';

const debug = createDebug('smokestack:stack');

interface Entry {
  name: string;
  stop: () => Promise<void>;
  unregister: () => void;
  /** Neighbouring parallel entries (containers) are stopped together: removal is mostly waiting. */
  parallel: boolean;
}

export class Started {
  private readonly entries: Entry[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly teardown: Teardown) {}

  /** True once stopAll began: whatever starts later must be stopped at once by its starter. */
  get closed(): boolean {
    return this.stopping !== undefined;
  }

  add(name: string, stop: () => Promise<void> | void, options: { parallel?: boolean } = {}): void {
    let once: Promise<void> | undefined;
    // Once, and within the teardown deadline: a removal hung on the engine settles (rejected)
    // for every caller together, so the stack's stopAll and the run's own step wait for it once.
    const idempotent = () => {
      once ??= withDeadline(Promise.resolve().then(stop), STEP_DEADLINE_MS);
      return once;
    };
    const unregister = this.teardown.add(name, idempotent);
    this.entries.push({ name, stop: idempotent, unregister, parallel: options.parallel ?? false });
  }

  /** Stops everything in reverse order, once; a failing stop does not keep the others running. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      while (this.entries.length > 0) {
        const batch = [this.entries.pop()!];
        while (batch[0]!.parallel && this.entries.at(-1)?.parallel) batch.push(this.entries.pop()!);
        await Promise.all(
          batch.map(async (entry) => {
            try {
              await entry.stop();
            } catch (error) {
              debug('stopping %s failed: %O', entry.name, error);
            } finally {
              entry.unregister();
            }
          }),
        );
      }
    })();
    return this.stopping;
  }
}
