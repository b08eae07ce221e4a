// issue 15, edge profiles: a --url run behind `edge: { profile: heroku, timeout: 1s }` against a
// real local slow server. The emulated router cuts the slow requests at 1 s with a 503; the run
// fails, the deadline is the router's 1 s, and each cut request is `killed` by heroku with the
// router's own H12 line as its event.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import { runCli } from '../support/cli.js';
import { type SlowServer, startSlowServer } from '../support/slow-server.js';

let app: SlowServer;
const out = mkdtempSync(path.join(tmpdir(), 'smokestack-edge-'));

beforeAll(async () => {
  app = await startSlowServer();
});
afterAll(() => app.close());

describe('run --url behind an emulated Heroku router', () => {
  it('the slow requests get the router’s 503 at 1 s: killed by heroku, deadline 1 s, the H12 line attached', async () => {
    const r = await runCli([
      'run',
      'test/fixtures/scenarios/edge/heroku-1s.yaml',
      '--url',
      app.url,
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8')) as RunResult;

    expect(result.target.baseUrl).toBe(app.url);
    expect(result.target.deadlineS).toBe(1);
    expect(result.target.chain![0]).toMatchObject({
      layer: 'edge',
      kind: 'heroku',
      timeoutS: 1,
      timeoutSource: 'scenario',
    });
    expect(result.target.chain![0]!.rule).toMatch(/^first-byte: /);

    const slow = result.flagged.filter((f) => f.path.startsWith('/slow?ms=2500'));
    expect(slow).toHaveLength(3);
    for (const f of slow) {
      expect(f).toMatchObject({
        level: 'killed',
        status: 503,
        deadline: { layer: 'edge', kind: 'heroku', timeoutS: 1 },
      });
      expect(f.latencyMs).toBeGreaterThanOrEqual(995);
      expect(f.latencyMs).toBeLessThan(2500);
      expect(f.serverEvent).toMatchObject({
        kind: 'proxy-timeout',
        source: 'edge',
        method: 'GET',
        path: f.path,
      });
      expect(f.serverEvent!.line).toMatch(
        /heroku\[router\]: at=error code=H12 desc="Request timeout" method=GET path="\/slow\?ms=2500&i=\d+" .* status=503 bytes=0 protocol=http$/,
      );
    }
    // The fast ones went through the router untouched.
    const fast = result.requests.byEndpoint.reduce((n, e) => n + e.count, 0) - slow.length;
    expect(fast).toBe(3);
    expect(result.flagged.filter((f) => f.path.startsWith('/slow?ms=20&'))).toEqual([]);
    expect(result.serverEvents.filter((e) => e.kind === 'proxy-timeout' && e.source === 'edge')).toHaveLength(
      3,
    );

    const cut = result.findings.find((f) => f.code === 'cut-in-front');
    expect(cut?.title).toMatch(/^3 requests cut by heroku \(edge\) at 1 s/);
    expect(cut?.detail).toContain('heroku logged `');
    expect(cut?.advice).toContain("heroku's router timeout (1 s, edge.timeout in the scenario, emulated)");
    expect(cut?.advice).toContain('no stopgap');
  });
});
