// The typed kind of a database check's result: what the verdict matches on, never the wording.
// `partial` (some rows, not all) is the shape a request cut short leaves; zero is `none`.
import { describe, expect, it } from 'vitest';
import { integrityKind } from '../../../src/observe/integrity.js';

describe('integrityKind', () => {
  it('a count above zero but short of equals / atLeast is partial; zero is none', () => {
    expect(integrityKind('equals', false, '560', '2000')).toBe('partial');
    expect(integrityKind('atLeast', false, '1', '600')).toBe('partial');
    expect(integrityKind('equals', false, '0', '2000')).toBe('none');
    expect(integrityKind('atLeast', false, '0', '1')).toBe('none');
  });

  it('too many, another value or not a number is a mismatch, never partial', () => {
    expect(integrityKind('equals', false, '2400', '2000')).toBe('mismatch');
    expect(integrityKind('atMost', false, '700', '600')).toBe('mismatch');
    expect(integrityKind('zero', false, '3', '0')).toBe('mismatch');
    expect(integrityKind('equals', false, 'running', 'done')).toBe('mismatch');
    expect(integrityKind('equals', false, '12.5', 'x')).toBe('mismatch');
  });

  it('a passed check is passed, whatever its numbers', () => {
    expect(integrityKind('atLeast', true, '700', '600')).toBe('passed');
  });
});
