// The verdict with a proxy in front (pure, on the figures of a real run of
// scenarios/tmdb-import-behind-nginx.yaml: nginx's default 60 s, gunicorn --timeout 120).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServerLine } from '../../../src/observe/log-parsers.js';
import type { ChainLayer, FlaggedRequest, ServerConfig, ServerEvent } from '../../../src/result/types.js';
import { defaultBudgets } from '../../../src/scenario/defaults.js';
import { timeoutChain } from '../../../src/server/chain.js';
import { type JudgeInput, judge } from '../../../src/verdict/judge.js';

const gunicorn: ServerConfig = {
  kind: 'gunicorn',
  timeoutS: 120,
  timeoutSource: 'scenario',
  workers: 3,
  workerClass: 'sync',
};
const nginx: ChainLayer = {
  layer: 'proxy',
  kind: 'nginx',
  timeoutS: 60,
  timeoutSource: 'server-default',
  rule: 'proxy_read_timeout: the longest wait between two reads from the upstream',
  detectedFrom: ['proxy_read_timeout 60s (nginx default (proxy_read_timeout 60s))'],
  locations: [{ match: '/', modifier: '', uri: '/', timeoutS: 60 }],
};
const chain = timeoutChain({ proxy: nginx, server: gunicorn });
const start = Date.parse('2026-12-02T05:08:31.000Z');
const cutAt = start + 60_128;
const nginxLine = readFileSync('test/fixtures/nginx/error.log', 'utf8').split('\n')[0]!;
const proxyEvent: ServerEvent = {
  ...parseServerLine(nginxLine, cutAt)!,
  at: new Date(cutAt).toISOString(),
  source: 'proxy',
};
const cut: FlaggedRequest = {
  at: new Date(start).toISOString(),
  endpoint: 'import all pages',
  method: 'POST',
  path: '/api/import?pages=80',
  latencyMs: 60_128,
  status: 504,
  level: 'killed',
  ratio: 1.002,
  serverEvent: proxyEvent,
  deadline: { layer: 'proxy', kind: 'nginx', timeoutS: 60 },
};
const orphanKill: ServerEvent = {
  at: new Date(start + 121_000).toISOString(),
  kind: 'worker-timeout',
  pid: 15,
  line: '[2026-12-02 05:10:32 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:15)',
  source: 'app',
};

function input(over: Partial<JudgeInput> = {}): JudgeInput {
  return {
    scenario: { budgets: defaultBudgets() },
    server: gunicorn,
    chain,
    requests: { total: 1, ok: 0, errors: 1, byEndpoint: [] },
    flagged: [cut],
    flaggedTotal: { approaching: 0, critical: 0, killed: 1 },
    serverEvents: [proxyEvent],
    integrity: [],
    trafficFinishedAt: cutAt + 5,
    mockCalls: [20_000, 40_000, 61_000].map((ms) => ({
      mock: 'tmdb',
      route: '/3/movie/popular',
      query: '',
      startedAt: cutAt + ms,
    })),
    ...over,
  };
}

describe('a proxy in front cut the request', () => {
  it('fails naming nginx and its 60 s default, before gunicorn 120 s; advice changes nginx, not --timeout alone', () => {
    const v = judge(input());
    expect(v.status).toBe('failed');
    const f = v.findings.find((x) => x.code === 'cut-in-front')!;
    expect(f.title).toBe("1 request cut by nginx (proxy) at 60 s, before gunicorn's 120 s timeout");
    expect(f.detail).toContain('upstream timed out (110: Connection timed out)');
    expect(f.advice).toContain("nginx's proxy_read_timeout (60 s, nginx default");
    expect(f.advice).toContain("Raising gunicorn's timeout (120 s) alone changes nothing the client sees");
    expect(f.advice).toMatch(
      /raise proxy_read_timeout .* to at least \d+ s and keep gunicorn's timeout above it/,
    );
    // No second finding blames the server for nginx's cut.
    expect(v.findings.map((x) => x.code)).not.toContain('killed-requests');
  });

  it('reports the orphaned work from the mock calls after the traffic ended, and its danger', () => {
    const f = judge(input()).findings.find((x) => x.code === 'orphaned-work')!;
    expect(f.severity).toBe('warn');
    expect(f.detail).toContain(
      'the app went on calling tmdb 3 times after the traffic had ended, the last call 1 min',
    );
    expect(f.detail).toContain('runs it twice');
  });

  it('a worker timeout that ends the orphaned work is named there, not as an unmatched kill', () => {
    const v = judge(input({ serverEvents: [proxyEvent, orphanKill] }));
    expect(v.findings.map((x) => x.code)).not.toContain('unmatched-timeout');
    expect(v.findings.find((x) => x.code === 'orphaned-work')!.detail).toContain(
      'Then gunicorn killed it at its own 120 s timeout (`[2026-12-02 05:10:32 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:15)`',
    );
  });

  it('no orphaned-work finding without evidence of work after the cut', () => {
    const v = judge(input({ mockCalls: [], accessEntries: [] }));
    expect(v.findings.map((x) => x.code)).not.toContain('orphaned-work');
  });

  it('headroom is against the deadline, 60 s, not T', () => {
    expect(judge(input()).headroom?.deadlineMs).toBe(60_000);
  });
});
