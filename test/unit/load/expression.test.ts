// The until-condition language: safe (no eval), small, and clear about its mistakes.
import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, getPath, parseExpression } from '../../../src/load/expression.js';

const holds = (source: string, data: unknown) => evaluate(parseExpression(source), data);

describe('until conditions', () => {
  const job = { status: 'running', progress: 40, job: { state: 'queued', items: [{ id: 7 }] }, done: false };

  it.each([
    ["status == 'done'", false],
    ["status == 'running'", true],
    ['status != "done"', true],
    ['progress > 39', true],
    ['progress >= 40 && progress <= 40', true],
    ['progress < 40', false],
    ["status == 'done' || progress > 10", true],
    ["!(status == 'done')", true],
    ['done == false', true],
    ['!done', true],
    ['job.state == "queued"', true],
    ['job.items.0.id == 7', true],
    ['missing == null', true],
    ['missing.deeper == null', true],
    ["progress > '10'", false],
    ["status == 'done' || status == 'failed' || progress >= 40", true],
    ["(status == 'done' || status == 'running') && progress == 40", true],
    ["status == 'it\\'s'", false],
  ])('%s → %s', (source, expected) => {
    expect(holds(source, job)).toBe(expected);
  });

  it('never evaluates code', () => {
    expect(checkExpression('process.exit(1)')).toBe('unexpected at "(1)" in "process.exit(1)"');
    expect(checkExpression("constructor.constructor('x')")).toMatch(/^unexpected at "\('x'\)"/);
    expect(holds('constructor', {})).toBeUndefined();
    expect(holds('__proto__', {})).toBeUndefined();
  });

  it('says where a condition is wrong', () => {
    expect(checkExpression("status = 'done'")).toBe(
      `cannot read "= 'done'" (compare with ==) in "status = 'done'"`,
    );
    expect(checkExpression("a == 'x' & b")).toBe(`cannot read "& b" (use && or ||) in "a == 'x' & b"`);
    expect(checkExpression('status ==')).toBe('expected a value at the end in "status =="');
    expect(checkExpression('(a == 1')).toBe('expected ) at the end in "(a == 1"');
    expect(checkExpression('a b')).toBe('unexpected at "b" in "a b"');
    expect(checkExpression('  ')).toBe('expected a condition like "status == \'done\'", got nothing');
    expect(checkExpression("status == 'done'")).toBeUndefined();
  });

  it('reads dotted paths into JSON', () => {
    expect(getPath({ a: { b: [1, { c: 'x' }] } }, 'a.b.1.c')).toBe('x');
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
    expect(getPath('text', 'length')).toBeUndefined();
  });
});
