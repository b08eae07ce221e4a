// Building blocks of the scenario schema: scalar fields with the messages users read
// (`expected a positive integer, got "ten"`), and the conversions to normalised values
// (durations to ms, rates to per second, latency and fault specs to their parsed forms).
import { z } from 'zod';
import { faultSpecSchema } from '../behaviour/faults.js';
import { parseLatencySpec } from '../behaviour/latency.js';
import type { LatencySpec } from '../behaviour/types.js';
import { checkTemplate } from '../templates/template.js';
import { isDuration, parseDuration, parseRate } from '../units/index.js';

/** A value as it reads in a message: strings quoted, lists and mappings by kind. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** An error function for zod: `expected WHAT, got VALUE` (or `missing: expected WHAT`). */
export function expected(what: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `missing: expected ${what}` : `expected ${what}, got ${show(issue.input)}`;
}

/** For refinements that read children: run only when everything below parsed (and transformed) cleanly. */
export const noIssues = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

export const positiveInt = (what = 'a positive integer') =>
  z
    .number({ error: expected(what) })
    .int()
    .positive();
export const nonNegativeInt = (what = 'an integer of 0 or more') =>
  z
    .number({ error: expected(what) })
    .int()
    .min(0);
export const port = () =>
  z
    .number({ error: expected('a port number (1-65535)') })
    .int()
    .min(1)
    .max(65535);
export const text = (what = 'a string') => z.string({ error: expected(what) });
export const nonEmptyText = (what = 'a non-empty string') => z.string({ error: expected(what) }).min(1);
export const bool = () => z.boolean({ error: expected('true or false') });

/** A list of strings, like a container command: `[python3, manage.py, migrate]`. */
export const command = () =>
  z
    .array(text('a string'), { error: expected('a list of strings like [python3, manage.py, migrate]') })
    .min(1, { error: expected('a non-empty list of strings') });

const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$';
const DURATION_EXPECTED = 'a duration like 500ms, 30s or 2m';

/** `500ms|30s|2m|1h` → milliseconds. */
export const duration = () =>
  z
    .string({ error: expected(DURATION_EXPECTED) })
    .regex(new RegExp(DURATION_PATTERN), { error: expected(DURATION_EXPECTED), abort: true })
    .transform((s) => parseDuration(s))
    .meta({ examples: ['500ms', '30s', '2m'] });

/** Like duration, but not zero. */
export const positiveDuration = () =>
  z
    .string({ error: expected(`a positive ${DURATION_EXPECTED.slice(2)}`) })
    // abort: a value that is no duration at all gets one message, not this one and the next.
    .regex(new RegExp(DURATION_PATTERN), {
      error: expected(`a positive ${DURATION_EXPECTED.slice(2)}`),
      abort: true,
    })
    .refine((s) => isDuration(s) && parseDuration(s) > 0, {
      error: expected(`a positive ${DURATION_EXPECTED.slice(2)}`),
    })
    .transform((s) => parseDuration(s))
    .meta({ examples: ['500ms', '30s', '2m'] });

const RATE_EXPECTED = 'a rate of at least 1/s, like 200/s or 600/m';

/**
 * `200/s`, `600/m`, or a bare number of requests per second; at least 1/s (what autocannon can pace).
 * The check is the runtime's own (src/units/rate.ts), caught here: `0/s` is a problem in the file,
 * never an error thrown while the run starts.
 */
export const rate = () =>
  z
    .union(
      [
        z.string().regex(/^\s*\d+(\.\d+)?\s*\/\s*(ms|s|m|h)\s*$/, { error: expected(RATE_EXPECTED) }),
        z.number(),
      ],
      { error: expected(RATE_EXPECTED) },
    )
    .transform((v, ctx) => {
      const perSecond = typeof v === 'number' ? v : tryParse(parseRate, v);
      if (perSecond === undefined || !(perSecond >= 1)) {
        ctx.addIssue({ code: 'custom', message: expected(RATE_EXPECTED)({ input: v }) });
        return z.NEVER;
      }
      return perSecond;
    })
    .meta({ examples: ['200/s', '600/m'] });

/** The parsed value, or undefined where the runtime's parser refuses it. */
function tryParse<T>(parse: (text: string) => T, text: string): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

const SHARE_EXPECTED = 'a share between 0 and 1 (or a percentage like 1%)';

/** A share 0..1, or a percentage string `1%`. */
export const share = () =>
  z
    .union([z.number(), z.string().regex(/^\s*\d+(\.\d+)?\s*%\s*$/, { error: expected(SHARE_EXPECTED) })], {
      error: expected('a share between 0 and 1 (or a percentage like 1%)'),
    })
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : Number(v.trim().slice(0, -1)) / 100;
      if (!(n >= 0 && n <= 1)) {
        ctx.addIssue({
          code: 'custom',
          message: expected('a share between 0 and 1 (or a percentage like 1%)')({ input: v }),
        });
        return z.NEVER;
      }
      return n;
    });

/** A mock latency spec (src/behaviour/latency.ts grammar). */
export const latency = () =>
  z
    .string({ error: expected('a latency like 800ms, 200ms..2s or p50=400ms,p99=1.5s') })
    .transform((s, ctx): LatencySpec => {
      try {
        return parseLatencySpec(s);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .meta({
      examples: ['800ms', '200ms..2s', 'p50=400ms,p99=1.5s', 'p50=100ms,p99=400ms; 1500ms after 20s'],
    });

/** Mock faults: the one schema of src/behaviour/faults.ts (its input shape is what editors see). */
export const faults = () => faultSpecSchema;

/** An environment map: names like `TMDB_API_KEY`, values strings (numbers and booleans become strings). */
export const env = () =>
  z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: expected('an environment variable name like TMDB_API_KEY'),
      }),
      z.union([z.string(), z.number(), z.boolean()], { error: expected('a string, number or boolean') }),
      { error: expected('a mapping of variable names to values, like { TMDB_API_KEY: test-key }') },
    )
    .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));

export const envName = () =>
  z
    .string({ error: expected('an environment variable name like TMDB_API_BASE') })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      error: expected('an environment variable name like TMDB_API_BASE'),
    });

/** A string that may contain templates (`{{random 1 50}}`); checked for syntax here. */
export const templated = (what = 'a string') =>
  z.string({ error: expected(what) }).superRefine((s, ctx) => {
    const problem = checkTemplate(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Request paths: start with `/`, may contain templates. */
export const requestPath = () =>
  templated('a path starting with /, like /api/movies?page={{random 1 50}}').refine(
    (s) => s.startsWith('/'),
    {
      error: expected('a path starting with /, like /api/movies?page={{random 1 50}}'),
    },
  );

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** An HTTP method, any case, normalised to upper case. */
export const method = () =>
  z
    .string({ error: expected(`one of ${METHODS.join(', ')}`) })
    .refine((s) => METHODS.includes(s.toUpperCase()), { error: expected(`one of ${METHODS.join(', ')}`) })
    .transform((s) => s.toUpperCase())
    .meta({ examples: METHODS });

/** Header map; values may contain templates. */
export const headers = () =>
  z.record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: expected('an HTTP header name') }),
    z.union([templated(), z.number().transform(String)], { error: expected('a header value (a string)') }),
    { error: expected('a mapping of header names to values') },
  );

/** A JSON request body; string leaves may contain templates. */
export const jsonBody = () =>
  z
    .json({ error: expected('a JSON value (mapping, list, string, number or boolean)') })
    .superRefine((body, ctx) => {
      walkStrings(body, [], (s, path) => {
        const problem = checkTemplate(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, path });
      });
    });

function walkStrings(
  value: unknown,
  path: (string | number)[],
  visit: (s: string, path: (string | number)[]) => void,
) {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkStrings(v, [...path, i], visit);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}
