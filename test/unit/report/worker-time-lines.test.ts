// The report says what smokestack turned on in the server, and shows time in the worker next to
// a flagged request's latency when its level was taken on it.
import { describe, expect, it } from 'vitest';
import { htmlView } from '../../../src/report/html-view.js';
import { renderSummaryMd } from '../../../src/report/summary-md.js';
import type { RunResult } from '../../../src/result/types.js';
import { sampleResult } from './fixtures.js';

const INJECTED =
  "GUNICORN_CMD_ARGS: --access-logfile - --access-logformat '%(D)s' (access log with time in the worker)";

function withWorkerTime(): RunResult {
  const r = sampleResult();
  r.target.server.injected = [INJECTED];
  const f = r.flagged.find((x) => x.level === 'approaching')!;
  Object.assign(f, { workerMs: 1_200, queueMs: f.latencyMs - 1_200, latencyBasis: 'worker' });
  return r;
}

describe('worker time in the reports', () => {
  it('summary.md: one line for what was turned on, and "in worker" next to the latency', () => {
    const md = renderSummaryMd(withWorkerTime());
    expect(md).toMatch(/^\| turned on by smokestack \| GUNICORN\\_CMD\\_ARGS: --access-logfile - /m);
    expect(md).toMatch(/\| [\d.]+ s \(1\.2 s in worker\) \|/);
    expect(renderSummaryMd(sampleResult())).not.toContain('turned on by smokestack');
  });

  it('index.html view: a server row for it, and the flagged latency names the worker time', () => {
    const view = htmlView(withWorkerTime());
    expect(view.serverRows).toContainEqual({ label: 'turned on by smokestack', value: INJECTED });
    expect(view.flagged.some((f: { latency: string }) => f.latency.endsWith('(1.2 s in worker)'))).toBe(true);
    expect(htmlView(sampleResult()).serverRows.map((r) => r.label)).not.toContain('turned on by smokestack');
  });
});
