// The chain on Debian's real nginx tree: the deadline is the smallest limit a request meets,
// and each path meets the limit of the location nginx picks for it.
import { describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../../src/result/types.js';
import { frontLimitFor, smallestLimitS, timeoutChain, workerLimit } from '../../../src/server/chain.js';
import { nginxLayer } from '../../../src/server/nginx/layer.js';
import { debianTree } from '../../support/nginx-tree.js';

const gunicorn = (timeoutS: number): ServerConfig => ({ kind: 'gunicorn', timeoutS, timeoutSource: 'image' });

describe('the timeout chain', () => {
  it('issue 15: nginx proxy_read_timeout 10s in front of gunicorn 30 s: the deadline is 10 s, nginx, from the scenario file', () => {
    const conf = '/etc/nginx/conf.d/timeouts.conf';
    const r = nginxLayer({
      files: debianTree({ [conf]: 'proxy_read_timeout 10s;' }),
      port: 80,
      appNames: ['app'],
      scenarioFiles: new Set([conf]),
      container: 'proxy',
    });
    if (!('layer' in r)) throw new Error(r.problem);
    expect(r.layer).toMatchObject({ layer: 'proxy', kind: 'nginx', timeoutS: 10, timeoutSource: 'scenario' });
    expect(r.layer.detectedFrom).toContain(`proxy_read_timeout 10s (${conf}:1: proxy_read_timeout 10s)`);
    const { chain, deadlineS } = timeoutChain({ proxy: r.layer, server: gunicorn(30) });
    expect(chain.map((l) => [l.layer, l.kind, l.timeoutS])).toEqual([
      ['proxy', 'nginx', 10],
      ['server', 'gunicorn', 30],
    ]);
    expect(deadlineS).toBe(10);
    expect(frontLimitFor(chain, '/slow?s=14')).toEqual({ layer: 'proxy', kind: 'nginx', timeoutS: 10 });
    expect(workerLimit(chain)).toEqual({ layer: 'server', kind: 'gunicorn', timeoutS: 30 });
  });

  it("Debian's defaults: 60 s from nginx itself, so gunicorn --timeout 120 is not the deadline", () => {
    const r = nginxLayer({ files: debianTree(), port: 80, appNames: ['app'] });
    if (!('layer' in r)) throw new Error(r.problem);
    expect(r.layer).toMatchObject({ timeoutS: 60, timeoutSource: 'server-default' });
    expect(timeoutChain({ proxy: r.layer, server: gunicorn(120) }).deadlineS).toBe(60);
  });

  it('a location of its own: its path meets its limit, the rest the limit of /; paths passing elsewhere meet none', () => {
    const site = `server { listen 80 default_server;
  location / { proxy_pass http://app:8000; }
  location /api/import { proxy_pass http://app:8000; proxy_read_timeout 5m; }
  location = /status { proxy_pass http://other:9000; proxy_read_timeout 1s; } }`;
    const r = nginxLayer({
      files: debianTree({ '/etc/nginx/sites-enabled/app': site }),
      port: 80,
      appNames: ['app'],
    });
    if (!('layer' in r)) throw new Error(r.problem);
    const { chain, deadlineS } = timeoutChain({ proxy: r.layer, server: gunicorn(120) });
    expect(deadlineS).toBe(60);
    expect(frontLimitFor(chain, '/api/import?pages=500')?.timeoutS).toBe(300);
    expect(frontLimitFor(chain, '/api/movies')?.timeoutS).toBe(60);
    expect(frontLimitFor(chain, '/status')).toBeUndefined();
    expect(smallestLimitS(chain)).toBe(60);
  });

  it('an nginx app in front of a service: names the service its main location passes to (the next hop)', () => {
    const site = `upstream backend { server web:8000; }
server { listen 8080; location / { proxy_pass http://backend; proxy_read_timeout 45s; } }`;
    const r = nginxLayer({
      files: debianTree({ '/etc/nginx/sites-enabled/app': site }),
      port: 8080,
      appNames: ['web', 'worker'],
      container: 'app',
    });
    if (!('layer' in r)) throw new Error(r.problem);
    expect(r.upstreamHosts).toEqual(['web']);
    expect(r.layer).toMatchObject({
      layer: 'proxy',
      kind: 'nginx',
      timeoutS: 45,
      timeoutSource: 'image',
      container: 'app',
    });
  });

  it('says why there is no nginx layer: nothing on the port, nothing passed to the app', () => {
    expect(nginxLayer({ files: debianTree(), port: 8080, appNames: ['app'] })).toEqual({
      problem: 'no nginx server block listens on port 8080',
    });
    expect(nginxLayer({ files: debianTree(), port: 80, appNames: ['web'] })).toEqual({
      problem: 'nginx on port 80 passes no location to web',
    });
    expect(nginxLayer({ files: new Map(), port: 80, appNames: ['app'] })).toEqual({
      problem: 'no nginx configuration at /etc/nginx/nginx.conf',
    });
  });

  it('with no layer in front, the deadline is T; with no limit at all, 0', () => {
    expect(timeoutChain({ server: gunicorn(30) }).deadlineS).toBe(30);
    expect(
      timeoutChain({ server: { kind: 'uvicorn', timeoutS: 0, timeoutSource: 'server-default' } }).deadlineS,
    ).toBe(0);
  });
});
