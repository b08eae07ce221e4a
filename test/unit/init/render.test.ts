// The starter file: every variant init can write validates as written, says where each value was
// read, and browses only paths that answered below 400.
import { describe, expect, it } from 'vitest';
import type { Starter } from '../../../src/init/guess.js';
import { notProbed, type Readiness } from '../../../src/init/readiness.js';
import { browsePaths, renderStarter } from '../../../src/init/render.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

const starter: Starter = {
  name: 'localmovies-smoke',
  image: 'localmovies:fixed',
  port: { value: 8000, from: 'EXPOSE 8000 in the image' },
  server: "gunicorn, timeout 60 s: read from the image's Cmd --timeout 60",
  postgres: 'psycopg2 installed in the image (/usr/lib/python3/dist-packages/psycopg2)',
  setup: {
    value: ['python3', 'manage.py', 'migrate', '--noinput'],
    from: "manage.py in the image's WORKDIR /app",
  },
  tmdb: { env: 'TMDB_API_BASE', value: 'https://api.themoviedb.org', from: 'its default in settings.py' },
  mockCandidates: [{ env: 'OMDB_API_URL', value: 'https://www.omdbapi.example/', from: "the image's env" }],
  env: {},
};

const probed: Readiness = {
  kind: 'probed',
  found: true,
  path: '/healthz',
  answers: [
    { path: '/healthz', answer: '200', status: 200 },
    { path: '/health', answer: '404', status: 404 },
    { path: '/', answer: '302', status: 302 },
  ],
};

const opts = { invocation: 'smokestack init --image localmovies:fixed', file: 'smoke.yaml' };

describe('renderStarter', () => {
  it('writes a scenario that validates, with the comments that say where each value came from', () => {
    const text = renderStarter(starter, probed, opts);
    const s = parseScenario(text, 'smoke.yaml');
    expect(s.stack.app).toMatchObject({
      image: 'localmovies:fixed',
      port: 8000,
      setup: ['python3', 'manage.py', 'migrate', '--noinput'],
      ready: { path: '/healthz', withinMs: 60_000 },
    });
    expect(s.stack.postgres).toBeDefined();
    expect(s.mocks).toMatchObject([{ name: 'tmdb', env: 'TMDB_API_BASE' }]);
    expect(s.load[0]!.requests.map((r) => r.path)).toEqual(['/healthz', '/']);
    expect(text).toContain("# server: gunicorn, timeout 60 s: read from the image's Cmd --timeout 60\n");
    expect(text).toContain('# EXPOSE 8000 in the image\n    port: 8000');
    expect(text).toContain('# probed: /healthz answered 200 when init started the image');
    expect(text).toContain("#   OMDB_API_URL = https://www.omdbapi.example/ (the image's env)");
    expect(text).toContain('smokestack validate smoke.yaml');
  });

  it('without probing, the readiness path is / and the file lists the common ones as a guess', () => {
    const bare: Starter = { ...starter, mockCandidates: [] };
    delete bare.postgres;
    delete bare.setup;
    delete bare.tmdb;
    const text = renderStarter(bare, notProbed('not probed (--no-probe)'), opts);
    const s = parseScenario(text, 'smoke.yaml');
    expect(s.stack.postgres).toBeUndefined();
    expect(s.mocks).toEqual([]);
    expect(s.stack.app?.ready.path).toBe('/');
    expect(text).toContain(
      '# guessed: not probed (--no-probe); common ones: /healthz, /health, /ready, /api/health, /',
    );
    expect(text).not.toContain('mock candidates');
  });
});

describe('browsePaths', () => {
  it('leaves / out when it answered 4xx, keeps it when it answered 2xx or 3xx', () => {
    expect(browsePaths(probed)).toEqual(['/healthz', '/']);
    const notFound: Readiness = {
      ...probed,
      answers: [{ path: '/', answer: '404', status: 404 }],
    } as Readiness;
    expect(browsePaths(notFound)).toEqual(['/healthz']);
    expect(browsePaths(notProbed('x'))).toEqual(['/']);
  });
});
