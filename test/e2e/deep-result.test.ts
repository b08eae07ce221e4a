// A result.json with a very deep unknown field (hostile or corrupted) is refused with exit 2
// naming the file — by `report`, `compare` and as `run --baseline` (before anything starts) —
// instead of "Maximum call stack size exceeded" (exit 3, and for --baseline after the whole run).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-deep-'));
const deep = path.join(dir, 'deep-result.json');
const sample = readFileSync('test/fixtures/results/sample-result.json', 'utf8');
writeFileSync(deep, sample.replace(/^\{/, `{"extra":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},`));
const refusal = `${deep}: nested deeper than 64 levels`;

describe('a result nested 100,000 levels deep', () => {
  it('report: exit 2 naming the file', async () => {
    const r = await runCli(['report', deep, '--out', path.join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(refusal);
    expect(r.stderr).not.toContain('call stack');
  });

  it('compare: exit 2 naming the file', async () => {
    const r = await runCli(['compare', deep, 'test/fixtures/results/sample-result.json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(refusal);
  });

  it('run --baseline: exit 2 before anything starts', async () => {
    const r = await runCli([
      'run',
      'test/fixtures/scenarios/cli/loopback.yaml',
      '--url',
      'http://127.0.0.1:9',
      '--baseline',
      deep,
      '--out',
      path.join(dir, 'runs'),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--baseline ${refusal}`);
    expect(r.stderr).not.toContain('•');
  });
});
