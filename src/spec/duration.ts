// Durations and rates as scenario files and options write them: `500ms`, `30s`, `2m`, `1.5s`, `1h`;
// rates `200/s`, `40/s`, `600/m`. Pure parsing; callers turn the thrown message into their error.

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `500ms|30s|2m|1h` (a bare number is not accepted: the unit is required) to milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`expected a duration like 500ms, 30s or 2m, got ${JSON.stringify(text)}`);
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] as string] as number));
}

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/;

/** Parses `200/s` or `600/m` to requests per second. */
export function parseRate(text: string): number {
  const m = RATE.exec(text);
  if (!m || Number(m[1]) <= 0)
    throw new Error(`expected a rate like 200/s or 600/m, got ${JSON.stringify(text)}`);
  return (Number(m[1]) * 1000) / (UNIT_MS[m[2] as string] as number);
}

/** Formats milliseconds for people: 850ms, 1.5s, 2m30s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
