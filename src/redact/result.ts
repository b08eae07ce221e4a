// Applies the redaction rules (src/redact/rules.ts) to a whole result before any report is
// written: every string, and every key, anywhere in it — server log lines, flagged request paths,
// findings, response snippets, error messages — masked by shape and by the run's secret values;
// env values of `meta.env` by name. Pure; linear in the result's size.

import type { RunResult } from '../result/types.js';
import { createMasker, isSecretName, REDACTED, redactShapes } from './rules.js';

export { isSecretName, REDACTED } from './rules.js';

/** Replaces credentials inside URLs and other secret shapes in a text. */
export function redactUrls(text: string): string {
  return redactShapes(text);
}

/** One environment variable as it may be shown: secret names masked, secret shapes removed. */
export function redact(name: string, value: string): string {
  if (isSecretName(name)) return REDACTED;
  return redactShapes(value);
}

export function redactEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) out[name] = redact(name, String(value));
  return out;
}

/**
 * A copy of the result safe to publish. `mask` masks the run's secret values (createMasker);
 * without it (a result read back from disk) only the shapes are known.
 */
export function redactResult(
  result: RunResult,
  mask: (text: string) => string = createMasker([]),
): RunResult {
  const copy = deepRedact(result, mask) as RunResult;
  if (copy.meta?.env) copy.meta = { ...copy.meta, env: redactEnv(copy.meta.env) };
  return copy;
}

function deepRedact(value: unknown, mask: (text: string) => string): unknown {
  // Recursive: a result built by a run is a few levels deep. (A hostile, very deep result.json
  // read from disk is not defended against here.)
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => deepRedact(v, mask));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = deepRedact(v, mask);
    return out;
  }
  return value;
}
