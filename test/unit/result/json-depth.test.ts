import { describe, expect, it } from 'vitest';
import { MAX_RESULT_DEPTH, tooDeepAt } from '../../../src/result/json-depth.js';

describe('tooDeepAt', () => {
  it('finds the first bracket past the limit, without recursion (200,000 levels)', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(tooDeepAt(deep)).toBe(MAX_RESULT_DEPTH);
    expect(tooDeepAt(`{"a":${'{"b":'.repeat(3)}1}}}}`, 4)).toBeUndefined();
    expect(tooDeepAt(`{"a":${'{"b":'.repeat(4)}1}}}}}`, 4)).toBe(20);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ path: `/x?q=${'['.repeat(500)}`, quote: 'say "{{[[" and \\ ok', n: [[1]] });
    expect(tooDeepAt(text, 3)).toBeUndefined();
    expect(tooDeepAt(text, 2)).toBe(text.indexOf('[[1') + 1);
  });
});
