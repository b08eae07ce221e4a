// Secret redaction for everything a report shows or writes. Reports end up as CI artifacts and
// in pull-request comments, so an API key in the scenario's env or the password in a
// DATABASE_URL must not travel with them. Pure functions; writeReports applies redactResult.
import type { RunResult } from '../result/types.js';

export const REDACTED = '••••';

/** Names that hold secrets: API_KEY, TMDB_TOKEN, POSTGRES_PASSWORD, DB_PASS, CLIENT_SECRET... */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASS/i;

/** `scheme://user:password@host` — the password part, however the URL is embedded in text. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"<>]*:)([^\s@/'"<>]+)@/gi;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces passwords inside URLs: `postgres://u:pw@h/db` → `postgres://u:***@h/db`. */
export function redactUrls(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_PASSWORD, '$1***@');
}

/** One environment variable as it may be shown: secret names masked, URL passwords removed. */
export function redact(name: string, value: string): string {
  if (isSecretName(name)) return REDACTED;
  return redactUrls(value);
}

export function redactEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) out[name] = redact(name, String(value));
  return out;
}

/**
 * A copy of the result safe to publish: env values by name, and URL passwords in every string
 * (log lines, error messages and database URLs can carry them). Linear in the result's size.
 */
export function redactResult(result: RunResult): RunResult {
  const copy = deepRedact(result) as RunResult;
  if (copy.meta?.env) copy.meta = { ...copy.meta, env: redactEnv(copy.meta.env) };
  return copy;
}

function deepRedact(value: unknown): unknown {
  if (typeof value === 'string') return redactUrls(value);
  if (Array.isArray(value)) return value.map(deepRedact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepRedact(v);
    return out;
  }
  return value;
}
