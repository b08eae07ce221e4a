import { describe, expect, it } from 'vitest';
import { formatDuration, formatDurationSpec, parseDuration, parseRate } from '../../../src/units/index.js';

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
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_500)).toBe('1.5 s');
    expect(formatDuration(1_234)).toBe('1.23 s');
    expect(formatDuration(30_400)).toBe('30.4 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(150_000)).toBe('2 min 30 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });

  it('writes a duration back in the scenario notation, which parses to the same value', () => {
    for (const ms of [850, 1_000, 1_500, 1_234, 30_000, 120_000]) {
      expect(parseDuration(formatDurationSpec(ms))).toBe(ms);
    }
    expect(formatDurationSpec(1_500)).toBe('1.5s');
  });
});
