// The numbers under real traffic, from the CLI as a user runs it against a loopback server with
// known behaviour: requests longer than their phase are counted and judged (open and closed
// model), and a rate held back by maxConnections fails with rate-not-reached.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const fixtures = 'test/fixtures/scenarios/truth';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const ms = req.url === '/slow' ? 1800 : req.url === '/half' ? 500 : 0;
    setTimeout(() => res.end('ok'), ms);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

async function run(scenario: string, ...extra: string[]) {
  const out = mkdtempSync(path.join(tmpdir(), 'smokestack-truth-'));
  const r = await runCli(['run', `${fixtures}/${scenario}`, '--url', url, '--out', out, ...extra]);
  const result = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8'));
  return { r, result };
}

describe('truth under real traffic (CLI)', () => {
  for (const [file, model, expected] of [
    ['longer-than-phase.yaml', 'open', 3],
    ['closed-longer-than-phase.yaml', 'closed', 2],
  ] as const) {
    it(`${model} model: requests longer than their phase are counted and fail the gate`, async () => {
      const { r, result } = await run(file, '--server-timeout', '2s');
      expect(r.code, r.stderr).toBe(1);
      expect(result.status).toBe('failed');
      expect(result.requests.total).toBe(expected);
      expect(result.flaggedTotal.critical).toBe(expected);
      expect(result.phases[0]).toMatchObject({ model, sent: expected, completed: expected, cutOff: 0 });
      expect(result.findings.map((f: { code: string }) => f.code)).toContain('critical-requests');
    }, 30_000);
  }

  it('a rate held back by maxConnections fails with rate-not-reached', async () => {
    const { r, result } = await run('capped-rate.yaml');
    expect(r.code, r.stderr).toBe(1);
    const finding = result.findings.find((f: { code: string }) => f.code === 'rate-not-reached');
    expect(finding.severity).toBe('fail');
    expect(finding.advice).toMatch(/maxConnections to at least \d+/);
    expect(result.phases[0].planned).toBe(150);
    expect(result.phases[0].dropped).toBeGreaterThan(90);
    expect(result.timeline.some((row: { target?: number }) => (row.target ?? 0) >= 49)).toBe(true);
  }, 30_000);
});
