// What every part of the compose reader shares: where it is in the file (for errors that name the
// file, the line, the service and the key), and the list of keys it saw but does not use.
import { formatProblem, UsageError } from '../errors.js';
import type { FieldPath } from '../scenario/read-document.js';

export interface ReadContext {
  /** The compose file as it is shown to the user. */
  shown: string;
  /** Its folder, absolute. */
  dir: string;
  lineOf(path: FieldPath): number | undefined;
  /** Process env over the `.env` file next to the compose file: what `${VAR}` reads. */
  env: Readonly<Record<string, string | undefined>>;
  /** The text of an env_file, or undefined when it does not exist. */
  readEnvFile(absolutePath: string): string | undefined;
  unsupported: string[];
  warnings: string[];
}

/** A usage error (exit 2) at a field of the compose file: `FILE:LINE services.web.ports[0]: ...`. */
export function fail(ctx: ReadContext, path: FieldPath, message: string, fix: string): never {
  throw new UsageError(formatProblem(ctx.shown, { path: fieldPath(path), message, line: ctx.lineOf(path) }), {
    code: 'SCENARIO_INVALID',
    fix,
  });
}

/** `services.web.ports[0]`, as users write field paths. */
export function fieldPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Records every key of `value` outside `known` as unsupported (`x-` extension keys are compose's own "ignore me"). */
export function noteUnsupported(
  ctx: ReadContext,
  path: FieldPath,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(value))
    if (!known.includes(key) && !key.startsWith('x-')) ctx.unsupported.push(fieldPath([...path, key]));
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compose accepts numbers and booleans where it means strings (`PORT: 8000`, `DEBUG: true`). */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

const GO_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Compose durations are Go's: `30s`, `1m30s`, `500ms`, `1.5s`, `1h`. Undefined when not one. */
export function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < t.length) {
    part.lastIndex = at;
    const m = part.exec(t);
    if (!m) return undefined;
    ms += Number(m[1]) * (GO_UNITS[m[2] as string] as number);
    at = part.lastIndex;
  }
  return at === 0 ? undefined : Math.round(ms);
}
