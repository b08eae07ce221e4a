// `smokestack sweep` parses without running anything: its own options, run's shared ones, and
// no --baseline/--keep (a sweep compares its steps with each other, and keeps nothing up).
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/program.js';
import { UsageError } from '../../../src/errors.js';

const parse = (...args: string[]) =>
  parseCommandLine(['node', 'smokestack', ...args], { writeOut: () => {}, writeErr: () => {} });

describe('sweep options', () => {
  it('parses --vary, --precision, --max-runs and run options', () => {
    expect(
      parse(
        'sweep',
        's.yaml',
        '--vary',
        'mocks.tmdb.latency=1x..4x',
        '--precision',
        '0.2',
        '--url',
        'http://127.0.0.1:1',
      ),
    ).toEqual({
      kind: 'command',
      name: 'sweep',
      args: ['s.yaml'],
      opts: expect.objectContaining({
        vary: 'mocks.tmdb.latency=1x..4x',
        precision: '0.2',
        maxRuns: '30',
        repeats: '3',
        url: 'http://127.0.0.1:1',
        out: 'reports',
      }),
    });
  });

  it('refuses --keep and --baseline, and a missing scenario', () => {
    expect(() => parse('sweep', 's.yaml', '--vary', 'x=1..2', '--keep')).toThrow(UsageError);
    expect(() => parse('sweep', 's.yaml', '--vary', 'x=1..2', '--baseline', 'r.json')).toThrow(UsageError);
    expect(() => parse('sweep')).toThrow(UsageError);
  });
});
