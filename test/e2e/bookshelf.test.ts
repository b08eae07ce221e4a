// The second sample app, bookshelf (docker/bookshelf: Django REST framework, a form login with
// CSRF, gunicorn configured by its gunicorn.conf.py), end to end through the CLI with real
// containers and its books API mocked by a handlers module:
// - `run scenarios/bookshelf-smoke.yaml` passes, reads T = 20 s from the config file in the image,
//   and proves in Postgres that every edition and author the mock delivered is stored;
// - `run scenarios/bookshelf-login.yaml`: flow copies log in through the form (login step), add
//   books through the form and the JSON API with X-CSRFToken, every write stored;
// - under `up`, by hand: the same with fetch, and without the token both writes are refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import { repoRoot, runCli, startCli, waitForOutput } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('bookshelf:dev');
if (!ready && !process.env.CI) console.warn('[e2e] skipped: needs a Docker engine and `npm run images`');
const out = mkdtempSync(path.join(tmpdir(), 'smokestack-bookshelf-'));
const env = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
};
const SCENARIO = 'scenarios/bookshelf-smoke.yaml';
// Two ISBNs of the mock's dataset that the scenario's setup does not seed.
const FORM_ISBN = '9780140065428';
const API_ISBN = '9780140068696';

function leftovers(runId: string): number {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=smokestack.run=${runId}`], {
    encoding: 'utf8',
  });
  return ids.split('\n').filter(Boolean).length;
}

/** A browser's cookie jar, as small as this test needs: name=value, last write wins. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function formToken(html: string): string {
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html)?.[1];
  expect(token, html).toBeDefined();
  return token!;
}

describe.skipIf(!ready && !process.env.CI)('bookshelf, the second sample app', () => {
  it('run: passes, T = 20 s read from gunicorn.conf.py, every delivered book stored', async () => {
    const run = await runCli(['run', SCENARIO, '--out', out, '--no-progress'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const dir = path.resolve(repoRoot, /(\S+)\/index\.html/.exec(run.stdout)![1]!);
    const r = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(r.status).toBe('passed');
    expect(r.target.server).toMatchObject({
      kind: 'gunicorn',
      timeoutS: 20,
      timeoutSource: 'image',
      workers: 2,
      workerClass: 'gthread',
    });
    // The image's CMD names no config file: gunicorn reads ./gunicorn.conf.py from /app.
    expect(r.target.server.detectedFrom).toContain('timeout 20 (/app/gunicorn.conf.py: timeout = 20)');
    expect(r.target.deadlineS).toBe(20);

    const books = r.mocks.find((m) => m.name === 'books')!;
    // setup seeds 12 books through the mocked API; the anonymous POST never reaches it.
    expect(books.served).toEqual({ editions: 12, authors: expect.any(Number) });
    expect(books.byRoute.find((b) => b.route === '/isbn/:isbn.json')?.calls).toBe(12);
    const integrity = Object.fromEntries(r.integrity.map((i) => [i.name, i]));
    expect(integrity['every edition the books API delivered is on the shelf']).toMatchObject({
      passed: true,
      expected: '12',
      actual: '12',
    });
    expect(integrity['every author the books API delivered is stored once']).toMatchObject({
      passed: true,
      expected: String(books.served!.authors),
    });
    // Calls by route and status, read through the route's key (src/mocks/route-key.ts).
    expect(books.byRoute.find((b) => b.route === '/isbn/:isbn.json')?.key).toBe('get-isbn-isbn-json');
    expect(integrity['one stored book for each edition the books API answered']).toMatchObject({
      passed: true,
      expected: '12',
      actual: '12',
    });
    expect(integrity['the app called no path the books API does not have']).toMatchObject({ passed: true });
    expect(r.integrity.every((i) => i.passed)).toBe(true);

    // Browsing picked from what the mock delivered (books.lookedUp): every detail page is there.
    const detail = r.requests.byEndpoint.find((e) => e.path.startsWith('/api/books/{{'))!;
    expect(detail.count).toBeGreaterThan(20);
    expect(detail.statusCodes).toEqual({ '200': detail.count });
    const refused = r.requests.byEndpoint.find((e) => e.method === 'POST')!;
    expect(refused.statusCodes).toEqual({ '403': 1 });
    expect(leftovers(r.runId)).toBe(0);
  }, 300_000);

  it('run bookshelf-login.yaml: two flow copies log in by the form (CSRF), add books by form and by API; no 403, every write stored', async () => {
    const run = await runCli(['run', 'scenarios/bookshelf-login.yaml', '--out', out, '--no-progress'], {
      env,
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const dir = path.resolve(repoRoot, /(\S+)\/index\.html/.exec(run.stdout)![1]!);
    const r = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(r.status).toBe('passed');
    const flow = r.requests.byEndpoint.filter((e) => e.method === 'POST');
    // The login's POST (302), the form's POST (302) and the API's POST (201/200), twice each.
    expect(flow.reduce((n, e) => n + e.count, 0)).toBe(6);
    for (const e of flow)
      expect(Object.keys(e.statusCodes).filter((c) => c === '403' || c >= '400')).toEqual([]);
    expect(
      r.integrity.every((i) => i.passed),
      JSON.stringify(r.integrity),
    ).toBe(true);
    const byDemo = r.integrity.find((i) => i.name.startsWith("the logged-in users' books"))!;
    expect(Number(byDemo.actual)).toBeGreaterThanOrEqual(1);
    expect(leftovers(r.runId)).toBe(0);
  }, 300_000);

  it('up: form login with CSRF, a book added by the form and by the API; no token, no write', async () => {
    const up = startCli(['up', SCENARIO], { env });
    try {
      await waitForOutput(up.output, (o) => /Ctrl-C tears everything down/.test(o.stdout), 180_000);
      const app = /^app\s+(http:\/\/127\.0\.0\.1:\d+)$/m.exec(up.output().stdout)![1]!;
      const jar = new Jar();
      const send = async (p: string, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        if (jar.header()) headers.set('Cookie', jar.header());
        const res = await fetch(`${app}${p}`, { ...init, headers, redirect: 'manual' });
        jar.take(res);
        return res;
      };
      const form = (fields: Record<string, string>) => ({
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const json = (body: unknown, headers: Record<string, string> = {}) => ({
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

      // Anonymous: the form page sends to the login, the API refuses the write.
      const anonymous = await send('/books/new/');
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toBe('/accounts/login/?next=/books/new/');
      expect((await send('/api/books/', json({ isbn: API_ISBN }))).status).toBe(403);

      const loginPage = await send('/accounts/login/');
      expect(loginPage.status).toBe(200);
      const login = await send(
        '/accounts/login/',
        form({
          username: 'demo',
          password: 'bookshelf-demo',
          csrfmiddlewaretoken: formToken(await loginPage.text()),
        }),
      );
      expect(login.status).toBe(302);
      expect(login.headers.get('location')).toBe('/books/');
      expect(jar.get('sessionid')).toBeDefined();

      // The form: without its token Django refuses it; with it, the book is added and we are redirected.
      const newPage = await send('/books/new/');
      expect(newPage.status).toBe(200);
      const token = formToken(await newPage.text());
      expect((await send('/books/new/', form({ isbn: FORM_ISBN }))).status).toBe(403);
      const added = await send('/books/new/', form({ isbn: FORM_ISBN, csrfmiddlewaretoken: token }));
      expect(added.status).toBe(302);
      expect(added.headers.get('location')).toBe('/books/');

      // The JSON API: the session alone is not enough, X-CSRFToken (the csrftoken cookie) is.
      expect((await send('/api/books/', json({ isbn: API_ISBN }))).status).toBe(403);
      const csrf = { 'X-CSRFToken': jar.get('csrftoken')! };
      const created = await send('/api/books/', json({ isbn: API_ISBN }, csrf));
      expect(created.status).toBe(201);
      expect(((await created.json()) as { authors: unknown[] }).authors.length).toBeGreaterThan(0);
      expect((await send('/api/books/', json({ isbn: API_ISBN }, csrf))).status).toBe(200);
      expect((await send('/api/books/', json({ isbn: '9781234567897' }, csrf))).status).toBe(400);

      for (const isbn of [FORM_ISBN, API_ISBN]) {
        const res = await fetch(`${app}/api/books/${isbn}/`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { isbn: string }).isbn).toBe(isbn);
      }
    } finally {
      up.child.kill('SIGINT');
      const end = await up.done;
      expect(end.code, end.stderr).toBe(130);
    }
  }, 300_000);
});
