// No secret of a real run reaches any output: the app logs its env at boot, serves a body holding
// the secrets to a failing flow step, and the load sends an api_key parameter and a Bearer header.
// All four report files and the console are grepped for each value; the masked places are there.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/types.js';
import { runCli } from '../support/cli.js';
import { dockerAvailable, imageExists } from '../support/docker.js';

const ready = dockerAvailable && imageExists('localmovies:incident');
const SECRETS = [
  'sk-live-e2e-1111',
  'ghp_e2e_pat_2222',
  'auth-e2e-3333',
  'dsnuser_e2e',
  'dsnpass-e2e-4444',
  'json-e2e-5555',
  'query-e2e-6666',
  'bearer-e2e-7777',
  'internal-e2e-8888',
];

describe.skipIf(!ready && !process.env.CI)('secrets of a real run', () => {
  it('appear in none of result.json, index.html, junit.xml, summary.md and the console', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'smokestack-secrets-'));
    const run = await runCli(
      ['run', 'test/fixtures/scenarios/e2e/hostile-secrets.yaml', '--out', out, '--no-progress'],
      {
        env: { TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1' },
      },
    );
    expect(run.code, run.stderr).toBe(1);
    const dir = path.join(out, 'latest');
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['index.html', 'junit.xml', 'result.json', 'summary.md']);
    const texts: Record<string, string> = { console: run.stdout + run.stderr };
    for (const f of files) texts[f] = readFileSync(path.join(dir, f), 'utf8');
    for (const [file, text] of Object.entries(texts))
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);

    // The places that held them are in the result, masked.
    const r = JSON.parse(texts['result.json']!) as RunResult;
    expect(r.serverEvents.map((e) => e.line)).toContainEqual(
      expect.stringContaining('boot with •••• •••• •••• postgres://••••@db.example'),
    );
    expect(r.requests.byEndpoint.map((e) => e.name)).toContain('GET /missing?api_key=••••');
    expect(JSON.stringify(r.findings)).toContain('\\"password\\": \\"••••\\"');
  }, 180_000);
});
