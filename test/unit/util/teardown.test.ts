import { describe, expect, it } from 'vitest';
import { Teardown } from '../../../src/util/teardown.js';

describe('Teardown', () => {
  it('stops in reverse order, keeps going past a failure, and runs once', async () => {
    const order: string[] = [];
    const t = new Teardown();
    t.add('network', () => {
      order.push('network');
    });
    t.add('postgres', async () => {
      order.push('postgres');
      throw new Error('boom');
    });
    const remove = t.add('mock', () => {
      order.push('mock');
    });
    t.add('app', () => {
      order.push('app');
    });
    remove();
    const [first, second] = await Promise.all([t.run(), t.run()]);
    expect(order).toEqual(['app', 'postgres', 'network']);
    expect(first).toBe(second);
    expect(first.map((f) => f.name)).toEqual(['postgres']);
    expect(t.size).toBe(0);
  });

  it('gives up on a stop that never finishes (a hung engine), reports it, and still runs the rest', async () => {
    const t = new Teardown();
    const order: string[] = [];
    t.add('network', () => {
      order.push('network');
    });
    t.add('container app', () => new Promise<void>(() => {}));
    t.add('mock', () => {
      order.push('mock');
    });
    const failures = await t.run({ stepDeadlineMs: 50 });
    expect(order).toEqual(['mock', 'network']);
    expect(failures.map((f) => [f.name, (f.error as Error).message])).toEqual([
      ['container app', 'did not finish within 50 ms'],
    ]);
  });

  it('names what is not yet torn down while a stop hangs (for a second Ctrl-C), and nothing after', async () => {
    const t = new Teardown();
    t.add('network', () => {});
    let release: () => void = () => {};
    t.add('container app', () => new Promise<void>((resolve) => (release = resolve)));
    t.add('mock tmdb', () => {});
    const running = t.run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Teardown.pending()).toEqual(['container app', 'network']);
    release();
    await running;
    expect(Teardown.pending()).toEqual([]);
  });

  it('a second Ctrl-C (force) stops every waiting step at once and names only the hung one', async () => {
    const t = new Teardown();
    const stopped: string[] = [];
    t.add('network', () => {
      stopped.push('network');
    });
    t.add('container postgres', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stopped.push('container postgres');
    });
    let release: () => void = () => {};
    t.add('container app', () => new Promise<void>((resolve) => (release = resolve)));
    const running = t.run({ stepDeadlineMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The one-after-another teardown is stuck on the app; force does not wait behind it.
    const t0 = Date.now();
    const left = await Teardown.force(300);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(left).toEqual(['container app']);
    expect(stopped.sort()).toEqual(['container postgres', 'network']);
    release();
    await running;
  });

  it('force tries again, in teardown order, what failed while the others were stopping', async () => {
    const t = new Teardown();
    let containerGone = false;
    t.add('network', () => {
      if (!containerGone) throw new Error('network has active endpoints');
    });
    t.add('container app', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      containerGone = true;
    });
    expect(await Teardown.force(1_000)).toEqual([]);
  });
});
