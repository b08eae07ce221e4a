import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseRate } from '../../../src/spec/duration.js';

describe('durations and rates', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 10 s ', 10_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['30', 'ten', '5 minutes', '-1s', ''])('rejects %j with an example', (text) => {
    expect(() => parseDuration(text)).toThrow(/expected a duration like 500ms, 30s or 2m/);
  });

  it('parses rates to requests per second', () => {
    expect(parseRate('200/s')).toBe(200);
    expect(parseRate('600/m')).toBe(10);
    expect(() => parseRate('0/s')).toThrow(/expected a rate/);
    expect(() => parseRate('200')).toThrow(/expected a rate like 200\/s/);
  });

  it('formats for people', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(1_500)).toBe('1.5s');
    expect(formatDuration(30_400)).toBe('30.4s');
    expect(formatDuration(150_000)).toBe('2m30s');
  });
});
