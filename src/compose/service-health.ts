// `healthcheck:` brought to Docker's own form (what Wait.forHealthCheck then watches): test as
// ['CMD', ...] / ['CMD-SHELL', script] (a plain string is CMD-SHELL, ['NONE'] and `disable: true`
// turn the image's check off), durations in Go's notation, Docker's defaults where the file is silent.
import type { FieldPath } from '../scenario/read-document.js';
import {
  fail,
  isMapping,
  noteUnsupported,
  parseGoDuration,
  type ReadContext,
  scalarText,
} from './context.js';
import type { ComposeHealthcheck, ComposeService } from './types.js';

const KNOWN = ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'];
const TEST_FIX = 'write test: ["CMD", "pg_isready"], ["CMD-SHELL", "curl -f http://localhost/"] or a string';

export function readHealthcheck(ctx: ReadContext, at: FieldPath, value: unknown): ComposeHealthcheck {
  if (!isMapping(value))
    fail(ctx, at, 'expected a mapping { test, interval, timeout, retries, start_period }', TEST_FIX);
  noteUnsupported(ctx, at, value, KNOWN);
  if (value.disable === true) return { disabled: true };
  const test = value.test === undefined ? undefined : readTest(ctx, [...at, 'test'], value.test);
  if (test?.[0] === 'NONE') return { disabled: true };
  const duration = (key: string, fallback: number) => {
    const v = value[key];
    if (v === undefined) return fallback;
    const ms = parseGoDuration(scalarText(v) ?? '');
    if (ms === undefined)
      fail(
        ctx,
        [...at, key],
        `${JSON.stringify(v)} is not a duration`,
        'write a duration like 5s, 1m30s or 500ms',
      );
    return ms;
  };
  const retries = value.retries ?? 3;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0)
    fail(ctx, [...at, 'retries'], 'expected a whole number of retries', 'write retries: 5');
  return {
    disabled: false,
    ...(test ? { test } : {}),
    intervalMs: duration('interval', 30_000),
    timeoutMs: duration('timeout', 30_000),
    retries,
    startPeriodMs: duration('start_period', 0),
  };
}

function readTest(ctx: ReadContext, at: FieldPath, value: unknown): string[] {
  if (typeof value === 'string') return ['CMD-SHELL', value];
  if (!Array.isArray(value) || value.length === 0) fail(ctx, at, 'expected a list or a string', TEST_FIX);
  const words = value.map((w, i) => scalarText(w) ?? fail(ctx, [...at, i], 'expected a string', TEST_FIX));
  const [kind] = words;
  if (kind !== 'CMD' && kind !== 'CMD-SHELL' && kind !== 'NONE')
    fail(
      ctx,
      [...at, 0],
      `the first word is ${JSON.stringify(kind)}, expected CMD, CMD-SHELL or NONE`,
      TEST_FIX,
    );
  if (kind !== 'NONE' && words.length < 2) fail(ctx, at, `${kind} needs a command after it`, TEST_FIX);
  return words;
}

/** The path of an http(s) URL the service's healthcheck asks (its readiness path), if it asks one. */
export function httpHealthPath(s: Pick<ComposeService, 'healthcheck'>): string | undefined {
  const hc = s.healthcheck;
  if (!hc || hc.disabled || !hc.test) return undefined;
  const url = /https?:\/\/[^/\s'"]+(\/[^\s'")]*)?/.exec(hc.test.join(' '));
  return url ? (url[1] ?? '/') : undefined;
}
