import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseResult, resultJsonSchema } from '../../../src/result/result-schema.js';

const fixture = 'test/fixtures/results/sample-result.json';
const sample = (): Record<string, unknown> => JSON.parse(readFileSync(fixture, 'utf8'));

function errorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected parseResult to throw');
}

describe('parseResult', () => {
  it('accepts the committed sample incident result and keeps its content', () => {
    const r = parseResult(sample(), fixture);
    expect(r.status).toBe('failed');
    expect(r.flagged.find((f) => f.level === 'killed')?.serverEvent?.kind).toBe('worker-timeout');
    expect(r.integrity.some((i) => !i.passed)).toBe(true);
    expect(r.findings.length).toBeGreaterThan(0);
  });

  it('keeps fields it does not know (results may gain fields)', () => {
    const json = { ...sample(), futureField: { x: 1 } };
    expect((parseResult(json) as unknown as { futureField: unknown }).futureField).toEqual({ x: 1 });
  });

  it('names the file and the field path of a wrong value', () => {
    const json = sample() as unknown as { flagged: { level: string }[] };
    json.flagged[1]!.level = 'dead';
    const e = errorOf(() => parseResult(json, 'reports/x/result.json'));
    expect(e.code).toBe('RESULT_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      'reports/x/result.json: flagged[1].level: expected one of "approaching"|"critical"|"killed"',
    );
  });

  it('an integrity result carries a typed kind (optional for older results); an unknown kind is named', () => {
    const json = sample() as unknown as { integrity: { kind?: string; origin?: string }[] };
    expect(parseResult(json).integrity.map((i) => i.kind)).toEqual(['partial', 'passed', 'partial']);
    delete json.integrity[0]!.kind;
    delete json.integrity[0]!.origin;
    expect(parseResult(json).integrity[0]!.kind).toBeUndefined();
    json.integrity[2]!.kind = 'partial import';
    expect(errorOf(() => parseResult(json, 'r.json')).message).toMatch(
      /^r\.json: integrity\[2\]\.kind: expected one of/,
    );
  });

  it('says a field is missing, and lists further problems as details', () => {
    const json = sample() as unknown as { requests: { total?: number }; timeline: { t: unknown }[] };
    delete json.requests.total;
    json.timeline[3]!.t = 'x';
    const e = errorOf(() => parseResult(json, 'r.json'));
    expect(e.message).toMatch(/^r\.json: requests\.total: missing/);
    expect(e.details).toEqual([expect.stringMatching(/^r\.json: timeline\[3\]\.t: expected number/)]);
  });

  it('rejects another schemaVersion with a fix that says which one it reads', () => {
    const e = errorOf(() => parseResult({ ...sample(), schemaVersion: 2 }, 'old.json'));
    expect(e.message).toMatch(/^old\.json: schemaVersion: /);
    expect(e.fix).toMatch(/schemaVersion 1/);
  });

  it('rejects something that is not a result at all', () => {
    expect(errorOf(() => parseResult([1, 2], 'a.json')).message).toMatch(/^a\.json: \(the whole file\): /);
    expect(errorOf(() => parseResult({ ...sample(), startedAt: 'yesterday' })).message).toMatch(
      /startedAt: expected an ISO 8601 time/,
    );
  });
});

describe('resultJsonSchema', () => {
  it('publishes the contract fields as required properties', () => {
    const schema = resultJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    for (const field of [
      'schemaVersion',
      'runId',
      'status',
      'flagged',
      'serverEvents',
      'integrity',
      'findings',
    ]) {
      expect(schema.required).toContain(field);
    }
  });
});
