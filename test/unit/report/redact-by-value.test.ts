// A hostile run: each kind of secret the run was given (env values under names old rules missed,
// a DSN's user and password, a Bearer header, a cookie, an api_key query parameter, a JSON password
// body, a service's password, a `redact:` entry) appears in each place a server or a user controls
// (server log lines, flagged request paths, findings, failed-step response snippets, endpoint
// names, the error line, env). After writeReports with the run's mask, none of the four files
// holds any of them, and neither does the console summary.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactResult } from '../../../src/redact/result.js';
import { createMasker } from '../../../src/redact/rules.js';
import { secretValues } from '../../../src/redact/secret-values.js';
import { formatConsoleSummary } from '../../../src/report/console-summary.js';
import { writeReports } from '../../../src/report/write-reports.js';
import type { RunResult } from '../../../src/result/types.js';
import { aScenario } from '../../support/scenario.js';
import { sampleResult } from './fixtures.js';

const S = {
  apiKey: 'sk-live-9f8e7d6c5b4a',
  pat: 'ghp_patpatpat0123456789',
  authHeader: 'auth-header-value-77',
  dsnUser: 'dsn_user_secretish',
  dsnPassword: 'dsn-pass-w0rd',
  sentryKey: 'sentrykey0123abcd',
  bearer: 'bearer-tok-55aa66bb',
  cookie: 'cookie-val-1234abcd',
  queryKey: 'query-key-8888',
  jsonPassword: 'json-pass-4321',
  redisPassword: 'redis-pw-xyz987',
  pgPassword: 'pg-pass-313131',
  weird: 'weird-value-000111',
  literal: 'literal-secret-222',
} as const;

const scenario = aScenario('hostile', {
  stack: {
    app: {
      image: 'app:1',
      port: 8000,
      ready: { path: '/', withinMs: 1000 },
      env: {
        TMDB_API_KEY: S.apiKey,
        GITHUB_PAT: S.pat,
        AUTH_HEADER: S.authHeader,
        DATABASE_URL: `postgres://${S.dsnUser}:${S.dsnPassword}@db.example:5432/x`,
        SENTRY_DSN: `https://${S.sentryKey}@sentry.example/1`,
        MY_WEIRD: S.weird,
        PATH: '/usr/local/bin:/usr/bin',
      },
    },
    postgres: { database: 'movies', user: 'smokestack', password: S.pgPassword },
    services: [{ name: 'redis', image: 'redis', env: { REDIS_PASSWORD: S.redisPassword } }],
  },
  load: [
    {
      name: 'browse',
      durationMs: 1000,
      connections: 1,
      pipelining: 1,
      requests: [
        {
          name: 'movies',
          weight: 1,
          method: 'GET',
          path: `/api/movies?api_key=${S.queryKey}&page={{random 1 5}}`,
          headers: { Authorization: `Bearer ${S.bearer}`, Cookie: `sessionid=${S.cookie}` },
        },
      ],
    },
  ],
  flows: [
    {
      name: 'login',
      startMs: 0,
      copies: 1,
      steps: [
        {
          name: 'login',
          method: 'POST',
          path: '/login',
          headers: {},
          body: { user: 'u', password: S.jsonPassword },
          capture: {},
        },
      ],
    } as never,
  ],
  redact: ['MY_WEIRD', S.literal],
});

/** Every secret, each in every place of the result a server or user controls. */
function hostile(): RunResult {
  const r = sampleResult();
  const all = Object.values(S).join(' ');
  const shapes = `Authorization: Bearer ${S.bearer} Cookie: sessionid=${S.cookie} {"password": "${S.jsonPassword}"} GET /api/movies?api_key=${S.queryKey}`;
  for (const e of r.serverEvents) e.line = `${e.line} ${all} ${shapes}`;
  for (const f of r.flagged)
    f.path = `/api/movies?api_key=${S.queryKey}&token=${S.bearer}&x=${encodeURIComponent(S.dsnPassword)}`;
  r.requests.byEndpoint[0]!.name = `GET /api/movies?api_key=${S.queryKey}`;
  r.findings.push({
    severity: 'fail',
    code: 'flow-step-failed',
    title: `login failed for ${S.dsnUser}`,
    detail: `expected status 200, got 500: {"error":"bad login","password":"${S.jsonPassword}","dsn":"postgres://${S.dsnUser}:${S.dsnPassword}@db.example/x"} ${all}`,
  });
  r.meta = { ...r.meta, env: { ...scenario.stack.app!.env }, error: `app said ${all}` };
  return r;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('redaction by value', () => {
  it('collects each kind of secret the run was given, and nothing ordinary', () => {
    const values = secretValues(scenario);
    for (const [kind, value] of Object.entries(S)) expect(values, kind).toContain(value);
    expect(values).not.toContain('/usr/local/bin:/usr/bin');
    expect(values).not.toContain('smokestack');
  });

  it('leaves none of them in result.json, index.html, junit.xml, summary.md or the console', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'smokestack-redact-'));
    dirs.push(out);
    const mask = createMasker(secretValues(scenario));
    const written = await writeReports(hostile(), { outRoot: out, mask });
    const texts: Record<string, string> = {};
    for (const file of written.files) texts[path.basename(file)] = await readFile(file, 'utf8');
    expect(Object.keys(texts).sort()).toEqual(['index.html', 'junit.xml', 'result.json', 'summary.md']);
    texts.console = formatConsoleSummary(redactResult(hostile(), mask), { color: false });
    for (const [file, text] of Object.entries(texts)) {
      for (const [kind, value] of Object.entries(S)) {
        expect(text.includes(value), `${kind} in ${file}`).toBe(false);
        expect(text.includes(encodeURIComponent(value)), `${kind} (url-encoded) in ${file}`).toBe(false);
      }
    }
    // What was masked is still readable around the mask.
    expect(texts['result.json']).toContain('Authorization: ••••');
    expect(texts['result.json']).toContain('postgres://••••@db.example');
    expect(texts['result.json']).toContain('"PATH": "/usr/local/bin:/usr/bin"');
  });
});
