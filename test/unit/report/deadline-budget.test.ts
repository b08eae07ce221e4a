// Issue 15: behind nginx at 10 s, the console said "timeout 30 s (the server's default) · slowest
// request 10 s = 33 % of the timeout". With the chain it names the deadline and who sets it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConsoleSummary } from '../../../src/report/console-summary.js';
import { timeoutBudget } from '../../../src/report/verdict-view.js';
import type { RunResult } from '../../../src/result/types.js';

const FIXTURE = 'test/fixtures/results/sample-result.json';

function behindNginx(): RunResult {
  const r = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResult;
  r.target.server = { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'server-default' };
  r.target.deadlineS = 10;
  r.target.chain = [
    { layer: 'proxy', kind: 'nginx', timeoutS: 10, timeoutSource: 'image', rule: 'proxy_read_timeout: ...' },
    {
      layer: 'server',
      kind: 'gunicorn',
      timeoutS: 30,
      timeoutSource: 'server-default',
      rule: 'worker timeout',
    },
  ];
  r.requests.byEndpoint = r.requests.byEndpoint.map((e) => ({
    ...e,
    latencyMs: { ...e.latencyMs, max: 10_000 },
  }));
  r.flagged = [];
  r.timeline = [];
  return r;
}

describe('the timeout budget with a proxy in front', () => {
  it("is nginx's 10 s, the slowest request is 100 % of it, and the worker's 30 s is named behind it", () => {
    const b = timeoutBudget(behindNginx());
    expect(b.timeoutMs).toBe(10_000);
    expect(b.deadlineBy).toBe('nginx proxy_read_timeout (proxy; gunicorn --timeout 30 s behind it)');
    expect(b.slowestLabel).toMatch(/^10 s = 100\s?% of the deadline$/);
  });

  it('the console line says deadline, not timeout', () => {
    const text = formatConsoleSummary(behindNginx(), { color: false });
    expect(text).toMatch(
      /deadline {2}10 s: nginx proxy_read_timeout \(proxy; gunicorn --timeout 30 s behind it\)/,
    );
  });

  it('without a layer in front nothing changes', () => {
    const r = behindNginx();
    delete r.target.chain;
    delete r.target.deadlineS;
    expect(timeoutBudget(r).timeoutMs).toBe(30_000);
    expect(timeoutBudget(r).deadlineBy).toBeUndefined();
  });
});

describe('the timeout budget with an emulated edge in front', () => {
  it("names the layer's own setting and where its figure came from (not the server's timeout)", () => {
    const r = behindNginx();
    r.target.deadlineS = 3;
    r.target.chain = [
      { layer: 'edge', kind: 'aws-alb', timeoutS: 3, timeoutSource: 'scenario', rule: 'idle: ...' },
      ...r.target.chain!,
    ];
    const b = timeoutBudget(r);
    expect(b.timeoutMs).toBe(3_000);
    expect(b.deadlineBy).toBe('aws-alb idle timeout (edge; gunicorn --timeout 30 s behind it)');
    expect(b.sourceLabel).toBe("set in the scenario's edge.idleTimeout, emulated");
    r.target.chain[0] = { ...r.target.chain[0]!, kind: 'heroku', timeoutSource: 'profile-default' };
    expect(timeoutBudget(r)).toMatchObject({
      deadlineBy: 'heroku router timeout (edge; gunicorn --timeout 30 s behind it)',
      sourceLabel: "heroku's default, emulated",
    });
  });
});
