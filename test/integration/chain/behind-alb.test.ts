// Three layers, real parts: an emulated AWS ALB (idle timeout 3 s) in front of Debian's nginx
// (proxy_read_timeout 20 s) in front of real gunicorn (--timeout 30) running the real sample app,
// one ~8 s synchronous import that sends no byte until it is done. The ALB is the smallest limit:
// the deadline is its 3 s, the client's 504 is killed by aws-alb with the ALB's own access-log line,
// and the worker goes on importing after the cut (orphaned work).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/run/run-scenario.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';
import { dockerAvailable, imageExists } from '../../support/docker.js';

const images = [
  'localmovies:incident',
  'smokestack/nginx:1.22',
  process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
];
const ready = dockerAvailable && images.every(imageExists);

describe.skipIf(!ready && !process.env.CI)('an emulated ALB in front of nginx in front of gunicorn', () => {
  it('the ALB cuts first at 3 s: deadline 3 s, killed by aws-alb with its log line, the work orphaned', async () => {
    const scenario = await loadScenario('test/fixtures/scenarios/chain/alb-3s-behind-nginx-20s.yaml');
    const { result } = await runScenario(scenario, { signal: new AbortController().signal });

    expect(result.target.chain?.map((l) => [l.layer, l.kind, l.timeoutS, l.timeoutSource])).toEqual([
      ['edge', 'aws-alb', 3, 'scenario'],
      ['proxy', 'nginx', 20, 'scenario'],
      ['server', 'gunicorn', 30, 'scenario'],
    ]);
    expect(result.target.deadlineS).toBe(3);

    const killed = result.flagged.filter((f) => f.level === 'killed');
    expect(killed).toHaveLength(1);
    const [k] = killed;
    expect(k).toMatchObject({ status: 504, deadline: { layer: 'edge', kind: 'aws-alb', timeoutS: 3 } });
    expect(k!.latencyMs).toBeGreaterThanOrEqual(2_950);
    expect(k!.latencyMs).toBeLessThan(8_000);
    expect(k!.serverEvent).toMatchObject({
      kind: 'proxy-timeout',
      source: 'edge',
      method: 'POST',
      path: '/api/import?pages=8',
    });
    expect(k!.serverEvent!.line).toMatch(
      /^http \S+ \S+ \S+ \S+ 0\.000 -1 -1 504 - 0 0 "POST http:\/\/\S+\/api\/import\?pages=8 HTTP\/1\.1"/,
    );
    expect(result.serverEvents.filter((e) => e.kind === 'worker-timeout')).toEqual([]);

    expect(result.status).toBe('failed');
    const cut = result.findings.find((f) => f.code === 'cut-in-front')!;
    expect(cut.title).toMatch(/cut by aws-alb \(edge\) at 3 s, before gunicorn's 30 s timeout/);
    expect(cut.advice).toContain("aws-alb's idle timeout (3 s, edge.idleTimeout in the scenario, emulated)");
    expect(cut.advice).toContain('idle_timeout.timeout_seconds');
    expect(cut.advice).toMatch(/alone changes nothing/);
    const orphaned = result.findings.find((f) => f.code === 'orphaned-work');
    expect(orphaned?.title).toMatch(/after aws-alb cut 1 request/);
    const after = Number(/the last call ([\d.]+) s after the cut/.exec(orphaned!.detail)![1]);
    expect(after).toBeGreaterThan(2);
  }, 240_000);
});
