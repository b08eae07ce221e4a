// stack.compose through the CLI as a team runs it, real containers:
// - `run scenarios/bookshelf-compose.yaml` (bookshelf-smoke's traffic and checks, the stack from
//   docker/bookshelf/docker-compose.yml): passes, the books mock replaced the compose file's
//   BOOKS_API_BASE, the checks queried the compose file's own Postgres, nothing is left behind;
// - a compose file whose one-shot service exits 1: exit 3 naming it with its last output, the app
//   never started, and the keys smokestack does not use named in one warning;
// - Ctrl-C while the compose stack starts (db up, migrate running): exit 130, containers, network
//   and the run's volume removed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunResult } from '../../src/result/types.js';
import { repoRoot, runCli, startCli, waitForOutput } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('bookshelf:dev') && imageExists('localmovies:incident');
if (!ready && !process.env.CI) console.warn('[e2e] skipped: needs a Docker engine and `npm run images`');
const out = mkdtempSync(path.join(tmpdir(), 'smokestack-compose-'));
const baseTag = process.env.SMOKESTACK_RUN_TAG ?? 'e2e-compose';
const envWith = (tag: string) => ({
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  SMOKESTACK_POSTGRES_IMAGE: process.env.SMOKESTACK_POSTGRES_IMAGE ?? 'smokestack/postgres:15',
  SMOKESTACK_RUN_TAG: tag,
});

/** Containers, networks and volumes still carrying the tag. */
function leftovers(tag: string): string[] {
  const filter = `label=smokestack.tag=${tag}`;
  const list = (args: string[]) =>
    execFileSync('docker', [...args, '--filter', filter], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [...list(['ps', '-aq']), ...list(['network', 'ls', '-q']), ...list(['volume', 'ls', '-q'])];
}

describe('validate with stack.compose (no engine needed)', () => {
  it('reads the compose file: ok, and the keys it does not use named in one warning line', async () => {
    const r = await runCli(['validate', 'test/fixtures/compose/one-shot-fails/scenario.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('ok  test/fixtures/compose/one-shot-fails/scenario.yaml (one-shot-fails)\n');
    expect(r.stderr).toBe(
      'warning: test/fixtures/compose/one-shot-fails/docker-compose.yml: not used by smokestack (no effect on the run): services.prep.restart, services.web.container_name\n',
    );
  });
});

describe.skipIf(!ready && !process.env.CI)('stack.compose through the CLI', () => {
  it('bookshelf from its docker-compose.yml: passes with bookshelf-smoke traffic and checks, leaves nothing', async () => {
    const tag = `${baseTag}-bookshelf`;
    const run = await runCli(['run', 'scenarios/bookshelf-compose.yaml', '--out', out], {
      env: envWith(tag),
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain('starting migrate: db healthy');
    expect(run.stderr).not.toContain('adminer');
    const dir = path.resolve(repoRoot, /(\S+)\/index\.html/.exec(run.stdout)![1]!);
    const r = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(r.status).toBe('passed');
    expect(r.target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.target.baseUrl).not.toMatch(/:8080$/);
    expect(r.target.server).toMatchObject({ kind: 'gunicorn', timeoutS: 20, workers: 2 });
    // The setup seeded the shelf through the mock (BOOKS_API_BASE over the compose value), and the
    // checks found those books in the compose file's Postgres.
    const books = r.mocks.find((m) => m.name === 'books')!;
    expect(books.calls).toBeGreaterThan(0);
    // Every check bookshelf-smoke.yaml declares ran here too (the compose scenario extends it).
    const declared = (
      parse(readFileSync(path.join(repoRoot, 'scenarios/bookshelf-smoke.yaml'), 'utf8')) as {
        integrity: { name: string }[];
      }
    ).integrity.map((c) => c.name);
    expect(declared.length).toBeGreaterThan(0);
    expect(r.integrity.map((c) => c.name)).toEqual(expect.arrayContaining(declared));
    expect(r.integrity.every((c) => c.passed)).toBe(true);
    expect(Number(r.integrity[0]!.actual)).toBeGreaterThan(0);
    expect(leftovers(tag)).toEqual([]);
  }, 300_000);

  it('a one-shot service that exits 1: exit 3 naming it and its last lines; the app never starts', async () => {
    const tag = `${baseTag}-one-shot`;
    const run = await runCli(['run', 'test/fixtures/compose/one-shot-fails/scenario.yaml', '--out', out], {
      env: envWith(tag),
    });
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stderr).toContain(
      'one-shot service prep (debian:bookworm-slim) exited with code 1: web waits for it to complete successfully',
    );
    expect(run.stderr).toContain('seed file /seed/books.csv: no such file');
    expect(run.stderr).not.toContain('starting web');
    const warnings = run.stderr.split('\n').filter((l) => l.includes('not used by smokestack'));
    expect(warnings).toEqual([
      '• warning: test/fixtures/compose/one-shot-fails/docker-compose.yml: not used by smokestack (no effect on the run): services.prep.restart, services.web.container_name',
    ]);
    expect(leftovers(tag)).toEqual([]);
  }, 120_000);

  it('Ctrl-C while the compose stack starts: exit 130, every container, the network and the volume removed', async () => {
    const tag = `${baseTag}-sigint`;
    const cli = startCli(['run', 'scenarios/bookshelf-compose.yaml', '--out', out], { env: envWith(tag) });
    await waitForOutput(cli.output, (o) => o.stderr.includes('starting migrate'));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    expect(leftovers(tag)).toEqual([]);
  }, 120_000);
});
