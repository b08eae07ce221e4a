import { describe, expect, it } from 'vitest';
import {
  FaultSpecError,
  faultsFromObject,
  formatFaultSpec,
  parseFaultSpec,
} from '../../../src/behaviour/faults.js';

describe('parseFaultSpec (the --fault option)', () => {
  it('reads every key of the documented example', () => {
    expect(parseFaultSpec('rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001,hangAt=5')).toEqual({
      rateLimitPerSecond: 40,
      errorRate: 0.01,
      errorStatus: 503,
      resetRate: 0.001,
      hangRate: 0.001,
      atRequests: [{ index: 5, fault: 'hang' }],
    });
  });

  it('accepts percentages, per-minute rates and repeated call numbers', () => {
    expect(
      parseFaultSpec('errors=1%, rateLimit=600/m, resetAt=3, hangAt=7, errorAt=9, rateLimitAt=11'),
    ).toEqual({
      errorRate: 0.01,
      rateLimitPerSecond: 10,
      atRequests: [
        { index: 3, fault: 'reset' },
        { index: 7, fault: 'hang' },
        { index: 9, fault: 'error' },
        { index: 11, fault: 'rateLimit' },
      ],
    });
  });

  it.each([
    ['', /expected faults like rateLimit=40\/s/],
    ['errors', /expected KEY=VALUE pairs like rateLimit=40\/s/],
    ['errors=2', /errors: expected a share between 0 and 1, like 0\.01 or 1%, got "2"/],
    ['errors=-0.1', /errors: expected a share between 0 and 1/],
    ['rateLimit=40', /rateLimit: expected a rate like 40\/s or 600\/m, got "40"/],
    ['status=302', /status: expected an HTTP error status between 400 and 599, like 503/],
    ['hangAt=0', /hangAt: expected a call number \(1 or more\)/],
    ['latency=5s', /unknown fault "latency" \(known: rateLimit, errors, status, reset, hang, errorAt/],
    ['errors=0.6,hang=0.5', /errors \+ reset \+ hang add up to 1\.1: together they must not exceed 1/],
  ])('rejects %j with an example', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(message);
  });

  it('formats back to the same spec', () => {
    const text = 'rateLimit=40/s,errors=0.01,status=503,reset=0.001,hang=0.001,hangAt=5,errorAt=8';
    expect(parseFaultSpec(formatFaultSpec(parseFaultSpec(text)))).toEqual(parseFaultSpec(text));
  });
});

describe('faultsFromObject (scenario mocks.<name>.faults)', () => {
  it('reads the documented object', () => {
    expect(
      faultsFromObject({
        rateLimit: '40/s',
        errors: 0.01,
        errorStatus: 503,
        reset: 0.001,
        hang: 0.001,
        at: { 5: 'hang', 2: 'reset' },
      }),
    ).toEqual({
      rateLimitPerSecond: 40,
      errorRate: 0.01,
      errorStatus: 503,
      resetRate: 0.001,
      hangRate: 0.001,
      atRequests: [
        { index: 2, fault: 'reset' },
        { index: 5, fault: 'hang' },
      ],
    });
    expect(faultsFromObject({ rateLimit: 40, errors: '1%' })).toEqual({
      rateLimitPerSecond: 40,
      errorRate: 0.01,
    });
  });

  it.each([
    [{ errors: 2 }, 'faults.errors: expected a share between 0 and 1, like 0.01 or 1%, got 2'],
    [{ rateLimit: 'fast' }, 'faults.rateLimit: expected a rate like 40/s or 600/m, got "fast"'],
    [
      { errorStatus: 200 },
      'faults.errorStatus: expected an HTTP error status between 400 and 599, like 503, got 200',
    ],
    [{ at: { 0: 'hang' } }, 'faults.at.0: expected a call number (1 or more) as the key'],
    [{ at: { 3: 'explode' } }, 'faults.at.3: expected one of error, reset, hang, rateLimit, got "explode"'],
    [{ at: [5] }, 'faults.at: expected call numbers and faults like { 5: hang, 9: reset }, got 5'],
    [{ error: 0.1 }, 'faults.error: unknown key (known: rateLimit, errors, errorStatus, reset, hang, at)'],
    [
      { errors: 0.5, reset: 0.6 },
      'faults: errors + reset + hang add up to 1.1: together they must not exceed 1',
    ],
    ['0.01', 'faults: expected an object like { rateLimit: 40/s, errors: 0.01 }, got "0.01"'],
  ])('rejects %j with a path-like message', (input, message) => {
    expect(() => faultsFromObject(input)).toThrow(message);
  });

  it('prefixes the path the caller gives and says where', () => {
    try {
      faultsFromObject({ hang: 3 }, 'mocks.tmdb.routes[0].faults');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FaultSpecError);
      expect((error as FaultSpecError).path).toBe('mocks.tmdb.routes[0].faults.hang');
      expect((error as FaultSpecError).problem).toBe(
        'expected a share between 0 and 1, like 0.01 or 1%, got 3',
      );
    }
  });
});
