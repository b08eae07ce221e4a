// The CLI as a user runs it, without containers: help, validation, exit codes, a --url run
// against a loopback server (result.json with counts), an interrupt (130 + aborted result),
// report re-rendering and compare.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForOutput } from '../support/cli.js';

const fixtures = 'test/fixtures/scenarios/cli';
let server: Server;
let url: string;
const out = mkdtempSync(path.join(tmpdir(), 'smokestack-cli-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    const delay = req.url?.startsWith('/slow') ? 40 : 0;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, delay);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('smokestack CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'up', 'mock', 'validate', 'report', 'compare']) expect(r.stdout).toContain(c);
  });

  it('validates the shipped scenario library', async () => {
    const files = [
      'smoke',
      'tmdb-import-incident',
      'tmdb-import-fixed',
      'tmdb-degrading',
      'tmdb-rate-limited',
    ].map((n) => `scenarios/${n}.yaml`);
    const r = await runCli(['validate', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });

  it('a bad scenario exits 2 with file:line, field path and what is expected, no stack trace', async () => {
    const r = await runCli(['run', `${fixtures}/bad-connections.yaml`, '--url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${fixtures}/bad-connections.yaml:6 load[0].connections:`);
    expect(r.stderr).toMatch(/expected a positive integer, got "ten"/);
    noStackTrace(r.stderr);
    expect(existsSync(path.join(out, 'latest'))).toBe(false);
  });

  it('bad usage exits 2', async () => {
    expect((await runCli(['run', '--server-timeout', 'soon'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['validate', 'no/such/file.yaml'])).code).toBe(2);
  });

  it('refuses a non-loopback --url unless --allow-remote names the host', async () => {
    const r = await runCli([
      'run',
      `${fixtures}/loopback.yaml`,
      '--url',
      'http://staging.example:8000',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--allow-remote/);
  });

  it('runs a scenario with --url against a loopback server and writes result.json with the counts', async () => {
    const r = await runCli(['run', `${fixtures}/loopback.yaml`, '--url', url, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.status).toBe('passed');
    const result = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8'));
    expect(result.schemaVersion).toBe(1);
    expect(result.target).toMatchObject({
      mode: 'url',
      baseUrl: url,
      server: { timeoutS: 30, timeoutSource: 'server-default' },
    });
    expect(result.requests.total).toBeGreaterThan(50);
    expect(result.requests.errors).toBe(0);
    const names = result.requests.byEndpoint.map((e: { path: string }) => e.path).sort();
    expect(names).toEqual(['/fast?i={{seq}}', '/slow']);
    const slow = result.requests.byEndpoint.find((e: { path: string }) => e.path === '/slow');
    expect(slow.latencyMs.p50).toBeGreaterThanOrEqual(39);
    for (const f of ['index.html', 'junit.xml', 'summary.md'])
      expect(existsSync(path.join(out, 'latest', f))).toBe(true);
  });

  it('Ctrl-C stops the traffic, writes a partial result with status aborted, exits 130', async () => {
    const run = startCli(['run', `${fixtures}/long.yaml`, '--url', url, '--out', out]);
    await waitForOutput(run.output, (o) => /req\/s/.test(o.stderr), 30_000);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    const m = /partial result written to (.+result\.json)/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const result = JSON.parse(readFileSync(m![1]!, 'utf8'));
    expect(result.status).toBe('aborted');
    expect(result.requests.total).toBeGreaterThan(0);
  });

  it('re-renders a result with report --out and compares a result with itself', async () => {
    const resultFile = path.join(out, 'latest', 'result.json');
    const dir = path.join(out, 'rerendered');
    const r = await runCli(['report', resultFile, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'index.html'))).toBe(true);
    const c = await runCli(['compare', resultFile, resultFile]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
  });
});
