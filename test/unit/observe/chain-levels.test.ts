// The chain in the analysis, pure: nginx's real error-log line ties the client's 504 to nginx;
// levels are taken against each layer on its own basis (the proxy on client latency, queue
// included; gunicorn on time in the worker), and every flagged request names its layer.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../../../src/load/recorder.js';
import type { AccessEntry } from '../../../src/observe/access-log.js';
import { correlate } from '../../../src/observe/correlate.js';
import { parseServerLine } from '../../../src/observe/log-parsers.js';
import { relevel } from '../../../src/observe/relevel.js';
import type { ChainLayer, FlaggedRequest, ServerEvent } from '../../../src/result/types.js';

const nginx = (timeoutS: number): ChainLayer => ({
  layer: 'proxy',
  kind: 'nginx',
  timeoutS,
  timeoutSource: 'scenario',
  rule: 'proxy_read_timeout: ...',
  locations: [{ match: '/', modifier: '', uri: '/', timeoutS }],
});
const gunicorn = (timeoutS: number): ChainLayer => ({
  layer: 'server',
  kind: 'gunicorn',
  timeoutS,
  timeoutSource: 'image',
  rule: 'worker timeout',
});
const thresholds = { warnAt: 0.5, criticalAt: 0.8 };

// The real line: `... upstream timed out ... request: "GET /slow?s=5 HTTP/1.1" ...` at 04:26:58.
const line = readFileSync('test/fixtures/nginx/error.log', 'utf8').split('\n')[0]!;
const cutAt = Date.parse('2026-12-02T04:26:58.000Z');
const event = { ...parseServerLine(line, cutAt + 10)!, source: 'proxy' } as ServerEvent & {
  pattern?: string;
};
delete event.pattern;

function request(startMs: number, latencyMs: number, over: Partial<FlaggedRequest> = {}): FlaggedRequest {
  return {
    at: new Date(startMs).toISOString(),
    endpoint: 'GET /slow',
    method: 'GET',
    path: '/slow?s=5',
    latencyMs,
    status: 200,
    level: 'approaching',
    ratio: 0,
    ...over,
  };
}

describe('correlation with a proxy in front', () => {
  it("ties the 504 to nginx's `upstream timed out` line: killed, with the line attached", () => {
    const start = cutAt - 3_000;
    const failure: RequestSample = {
      endpoint: 'GET /slow',
      group: 'load',
      method: 'GET',
      path: '/slow?s=5',
      startMs: start,
      latencyMs: 3_004,
      status: 504,
    };
    const flagged = [request(start, 3_004, { status: 504, level: 'critical', ratio: 1 })];
    const out = correlate({ flagged, failures: [failure], events: [event], serverTimeoutMs: 3_000 });
    expect(out.flagged).toEqual([
      expect.objectContaining({ level: 'killed', status: 504, serverEvent: event }),
    ]);
    // A proxy's line is no worker kill left unexplained.
    expect(out.unmatchedTimeouts).toEqual([]);
  });

  it('a worker killed behind nginx: the kill is the cause, the 502 line its echo', () => {
    const start = cutAt - 2_000;
    const kill: ServerEvent = {
      at: new Date(cutAt - 50).toISOString(),
      kind: 'worker-timeout',
      pid: 9,
      line: '[CRITICAL] WORKER TIMEOUT (pid:9)',
      source: 'app',
    };
    const closed: ServerEvent = { ...event, kind: 'upstream-closed' };
    const failure: RequestSample = {
      endpoint: 'GET /slow',
      group: 'load',
      method: 'GET',
      path: '/slow?s=5',
      startMs: start,
      latencyMs: 2_000,
      status: 502,
    };
    const out = correlate({
      flagged: [],
      failures: [failure],
      events: [closed, kill],
      serverTimeoutMs: 2_000,
    });
    expect(out.flagged[0]?.serverEvent).toEqual(kill);
    expect(out.unmatchedTimeouts).toEqual([]);
  });
});

describe('levels along the chain', () => {
  const chain = [nginx(10), gunicorn(30)];

  it('issue 15: a 14 s request behind nginx 10 s is cut by nginx, ratio against 10 s, not 33 % of 30 s', () => {
    const cut = request(cutAt - 10_000, 10_004, {
      status: 504,
      level: 'killed',
      ratio: 0.333,
      serverEvent: event,
    });
    const out = relevel({ flagged: [cut], entries: [], serverTimeoutMs: 30_000, ...thresholds, chain });
    expect(out.flagged).toEqual([
      expect.objectContaining({
        level: 'killed',
        ratio: 1,
        deadline: { layer: 'proxy', kind: 'nginx', timeoutS: 10 },
      }),
    ]);
  });

  it('queue time counts against the proxy: 9 s at the client (8 s queued, 1 s in the worker) is critical, by nginx', () => {
    const queued = request(cutAt, 9_000);
    const entries: AccessEntry[] = [
      { at: cutAt + 9_000, method: 'GET', path: '/slow?s=5', status: 200, workerMs: 1_000 },
    ];
    const out = relevel({ flagged: [queued], entries, serverTimeoutMs: 30_000, ...thresholds, chain });
    expect(out.flagged).toEqual([
      expect.objectContaining({
        level: 'critical',
        ratio: 0.9,
        workerMs: 1_000,
        queueMs: 8_000,
        latencyBasis: 'worker',
        deadline: { layer: 'proxy', kind: 'nginx', timeoutS: 10 },
      }),
    ]);
  });

  it('worker time counts against the worker: gunicorn at 3 s behind nginx at 60 s, 2.6 s in the worker is critical by gunicorn', () => {
    const slow = request(cutAt, 2_700);
    const entries: AccessEntry[] = [
      { at: cutAt + 2_700, method: 'GET', path: '/slow?s=5', status: 200, workerMs: 2_600 },
    ];
    const out = relevel({
      flagged: [slow],
      entries,
      serverTimeoutMs: 3_000,
      ...thresholds,
      chain: [nginx(60), gunicorn(3)],
    });
    expect(out.flagged[0]).toMatchObject({
      level: 'critical',
      deadline: { layer: 'server', kind: 'gunicorn', timeoutS: 3 },
    });
  });

  it('a request the floor flagged that is far from its own limits leaves the list', () => {
    const quick = request(cutAt, 3_000);
    const out = relevel({
      flagged: [quick],
      entries: [],
      serverTimeoutMs: 30_000,
      ...thresholds,
      chain: [nginx(60), gunicorn(30)],
    });
    expect(out.flagged).toEqual([]);
    expect(out.changes).toEqual([{ from: 'approaching' }]);
  });
});
