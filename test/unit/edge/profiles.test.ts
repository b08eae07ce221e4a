// The edge as the scenario writes it and as the chain lists it: each profile's field and default,
// the deadline when it is the smallest limit, and a request its own line cut naming the edge even
// when a proxy behind it has a smaller limit.
import { describe, expect, it } from 'vitest';
import { edgeLayer } from '../../../src/edge/profiles.js';
import { relevel } from '../../../src/observe/relevel.js';
import type { ChainLayer, FlaggedRequest } from '../../../src/result/types.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';
import { timeoutChain } from '../../../src/server/chain.js';

const scenario = (edge: string) =>
  parseScenario(
    `name: e\nedge: ${edge}\nload: [{ name: b, duration: 1s, requests: [{ method: GET, path: / }] }]\n`,
    'e.yaml',
  );

describe('edge: in the scenario', () => {
  it.each([
    ['{ profile: aws-alb, idleTimeout: 60s }', 'aws-alb', 60, 'scenario', 'idle'],
    ['{ profile: aws-alb }', 'aws-alb', 60, 'profile-default', 'idle'],
    ['{ profile: heroku }', 'heroku', 30, 'profile-default', 'first-byte'],
    ['{ profile: heroku, timeout: 1s }', 'heroku', 1, 'scenario', 'first-byte'],
    ['{ profile: cloudflare }', 'cloudflare', 100, 'profile-default', 'first-byte'],
    ['{ profile: gcp-lb, timeout: 90s }', 'gcp-lb', 90, 'scenario', 'total'],
    ['{ profile: gcp-lb }', 'gcp-lb', 30, 'profile-default', 'total'],
  ])('%s → %s %d s (%s), rule %s', (text, kind, timeoutS, timeoutSource, rule) => {
    const layer = edgeLayer(scenario(text).edge!);
    expect(layer).toMatchObject({ layer: 'edge', kind, timeoutS, timeoutSource });
    expect(layer.rule.split(':')[0]).toBe(rule);
  });

  it('a scenario without edge has none', () => {
    expect(
      parseScenario(
        'name: e\nload: [{ name: b, duration: 1s, requests: [{ method: GET, path: / }] }]\n',
        'e.yaml',
      ).edge,
    ).toBeUndefined();
  });
});

describe('the edge in the chain', () => {
  const gunicorn = { kind: 'gunicorn', timeoutS: 30, timeoutSource: 'image' as const };
  const nginx: ChainLayer = {
    layer: 'proxy',
    kind: 'nginx',
    timeoutS: 10,
    timeoutSource: 'scenario',
    rule: 'proxy_read_timeout: ...',
  };

  it('comes first, and its limit is the deadline when it is the smallest', () => {
    const edge = edgeLayer({ profile: 'heroku', timeoutMs: 5_000 });
    const { chain, deadlineS } = timeoutChain({ edge, proxy: nginx, server: gunicorn });
    expect(chain.map((l) => [l.layer, l.kind, l.timeoutS])).toEqual([
      ['edge', 'heroku', 5],
      ['proxy', 'nginx', 10],
      ['server', 'gunicorn', 30],
    ]);
    expect(deadlineS).toBe(5);
    expect(
      timeoutChain({ edge: edgeLayer({ profile: 'cloudflare' }), proxy: nginx, server: gunicorn }).deadlineS,
    ).toBe(10);
  });

  it('a request cut by the edge’s own line is the edge’s, even behind an nginx with a smaller limit', () => {
    const edge = edgeLayer({ profile: 'aws-alb', timeoutMs: 12_000 });
    const { chain } = timeoutChain({ edge, proxy: nginx, server: gunicorn });
    const cut = (source: string): FlaggedRequest => ({
      at: '2026-12-02T06:00:00.000Z',
      endpoint: 'GET /import',
      method: 'GET',
      path: '/import',
      latencyMs: 12_010,
      status: 504,
      level: 'killed',
      ratio: 1,
      serverEvent: {
        at: '2026-12-02T06:00:12.010Z',
        kind: 'proxy-timeout',
        line: 'x',
        source,
        path: '/import',
      },
    });
    const r = relevel({
      flagged: [cut('edge'), { ...cut('proxy'), path: '/import?b' }],
      entries: [],
      serverTimeoutMs: 30_000,
      warnAt: 0.5,
      criticalAt: 0.8,
      chain,
    });
    expect(r.flagged.map((f) => f.deadline)).toEqual([
      { layer: 'edge', kind: 'aws-alb', timeoutS: 12 },
      { layer: 'proxy', kind: 'nginx', timeoutS: 10 },
    ]);
  });
});
