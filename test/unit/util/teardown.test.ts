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
});
