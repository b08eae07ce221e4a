import { describe, expect, it } from 'vitest';
import { createProgress, formatTrafficLine } from '../../../src/cli/progress.js';

function sink() {
  const chunks: string[] = [];
  return { stream: { write: (c: string) => chunks.push(c) } as unknown as NodeJS.WritableStream, chunks };
}
const snap = (total: number) => ({
  elapsedMs: total * 10,
  total,
  rps: 100,
  p99: 120,
  errors: 0,
  flaggedTotal: { approaching: 1, critical: 0, killed: 0 },
});

describe('progress', () => {
  it('rewrites one live line on a TTY and closes it before the next stage', () => {
    const { stream, chunks } = sink();
    const p = createProgress({ stream, live: true, enabled: true });
    p.traffic(snap(1), 'browse');
    p.traffic(snap(2), 'browse');
    p.stage('writing reports');
    expect(chunks[0]?.startsWith('\r\u001b[K  browse')).toBe(true);
    expect(chunks[1]).toContain('2 req');
    expect(chunks[2]).toBe('\n');
    expect(chunks[3]).toBe('• writing reports\n');
  });

  it('prints a plain line at most every few seconds without a TTY', () => {
    const { stream, chunks } = sink();
    let now = 0;
    const p = createProgress({ stream, live: false, enabled: true, everyMs: 5_000, now: () => now });
    now = 5_000;
    p.traffic(snap(1), 'browse');
    now = 6_000;
    p.traffic(snap(2), 'browse');
    now = 10_000;
    p.traffic(snap(3), 'browse');
    expect(chunks).toHaveLength(2);
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);
    expect(chunks[1]).toContain('3 req');
  });

  it('writes nothing with --no-progress', () => {
    const { stream, chunks } = sink();
    const p = createProgress({ stream, live: true, enabled: false });
    p.stage('x');
    p.traffic(snap(1), 'browse');
    p.done();
    expect(chunks).toEqual([]);
  });
});

describe('progress of an open-model phase', () => {
  it('says how many requests were sent of those due in the last second', () => {
    const line = formatTrafficLine({ ...snap(5), rps: 9, targetRps: 50, sentRps: 10 }, 'browse');
    expect(line).toContain('9 req/s  (sent 10 of 50 due)');
    expect(formatTrafficLine(snap(5), 'browse')).not.toContain('due');
  });
});
