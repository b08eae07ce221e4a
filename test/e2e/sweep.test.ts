// `smokestack sweep` from the CLI against a loopback server whose capacity is known: one request
// at a time, 436 ms each, so N flow copies sent at once end after N x 436 ms, and under a 3 s
// server timeout the critical level (2.4 s) lies between 5 copies and 6. The sweep must bracket
// it there, answer with ends clear of it by the confirmation's guard, and the answer must be
// true: plain runs at its two ends pass and fail.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load-scenario.js';
import { applyValue, parseVary } from '../../src/sweep/target.js';
import { runCli, startCli, waitForOutput } from '../support/cli.js';

const fixture = 'test/fixtures/scenarios/sweep/serial-copies.yaml';
const WORK_MS = 436;
let server: Server;
let url: string;

beforeAll(async () => {
  // One worker: requests queue and are answered one after another.
  let free = Promise.resolve();
  server = createServer((req, res) => {
    req.resume();
    const turn = free.then(() => new Promise<void>((r) => setTimeout(r, WORK_MS)));
    free = turn;
    turn.then(() => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

describe('smokestack sweep (CLI)', () => {
  it('a target the scenario does not have exits 2 naming what it has, before anything starts', async () => {
    const r = await runCli(['sweep', fixture, '--vary', 'flows.import.copies=1..8', '--url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--vary: flows.import.copies:');
    expect(r.stderr).toContain('it has: work');
    expect(r.stderr).not.toContain('step 1');
  });

  it('Ctrl-C keeps the steps done in sweep.json and exits 130', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const cli = startCli([
      'sweep',
      fixture,
      '--vary',
      'flows.work.copies=1..8',
      '--url',
      url,
      '--server-timeout',
      '3s',
      '--out',
      out,
    ]);
    await waitForOutput(cli.output, (o) => /step 2 {2}2 /.test(o.stderr), 30_000);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const dir = readdirSync(out).find((d) => d.includes('sweep-'))!;
    const sweep = JSON.parse(readFileSync(path.join(out, dir, 'sweep.json'), 'utf8'));
    expect(sweep.end).toBe('interrupted');
    expect(sweep.steps.map((s: { value: number }) => s.value)).toEqual([1, 2]);
  }, 40_000);

  it('brackets the cliff between 5 and 6 copies, confirms ends clear of it, and plain runs there pass and fail', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-sweep-'));
    const r = await runCli([
      'sweep',
      fixture,
      '--vary',
      'flows.work.copies=1..8',
      '--url',
      url,
      '--server-timeout',
      '3s',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const dir = r.stdout.match(/sweep\s+(\S+)index\.html/)![1]!;
    const sweep = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    // The search brackets the cliff: 5 copies (73 % of T) pass, 6 (87 %) fail. The confirmation
    // wants each end clear of the critical 80 % by at least 15 %: 5 (73 % x 1.15) and 6
    // (87 % / 1.15) are too close, so the answer is 4 (58 %) and 7 (102 %).
    const at = (n: number) => sweep.steps.filter((s: { value: number }) => s.value === n);
    expect(at(5).every((s: { status: string }) => s.status === 'passed')).toBe(true);
    expect(at(6).every((s: { status: string }) => s.status === 'failed')).toBe(true);
    expect(sweep).toMatchObject({ lastPassing: 4, firstFailing: 7, margin: 4, end: 'boundary' });
    // The search (6 runs), and each end run until it has three runs or moves (--repeats 3).
    expect(sweep.steps.length).toBeLessThanOrEqual(16);
    expect(sweep).toMatchObject({ confirmed: true, repeats: 3 });
    expect(r.stdout).toMatch(
      /^Flow work may run 4 copies at once and the scenario still passes .*; at 7 it fails/m,
    );
    // One progress line per step: value, verdict, worst ratio.
    expect(r.stderr.match(/step \d+ {2}\d+ +(PASSED|FAILED) +worst .* of the 3 s deadline/g)).toHaveLength(
      sweep.steps.length,
    );
    for (const s of sweep.steps) readFileSync(path.join(dir, s.result.replace('result.json', 'index.html')));

    // The margin is true: the scenario, run plainly with the value set, passes at 5 and fails at 6.
    const base = parseScenario(readFileSync(fixture, 'utf8'), fixture);
    const vary = parseVary('flows.work.copies=1..8', base);
    for (const [copies, code] of [
      [4, 0],
      [7, 1],
    ] as const) {
      const plainDir = mkdtempSync(path.join(tmpdir(), 'smokestack-plain-'));
      const file = path.join(plainDir, 'scenario.yaml');
      writeFileSync(file, readFileSync(fixture, 'utf8').replace('copies: 1', `copies: ${copies}`));
      // The file run plainly is the scenario the sweep ran at that value.
      expect(parseScenario(readFileSync(file, 'utf8'), file).flows).toEqual(
        applyValue(base, vary, copies).flows,
      );
      const plain = await runCli(['run', file, '--url', url, '--server-timeout', '3s', '--out', plainDir]);
      expect(plain.code, `${copies} copies: ${plain.stdout}`).toBe(code);
    }
  }, 90_000);
});
