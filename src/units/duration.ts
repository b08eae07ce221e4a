// Durations: parsed as scenario files and options write them (`500ms`, `30s`, `2m`, `1.5s`, `1h`),
// formatted one way for people in every output (console, HTML, Markdown, JUnit, findings:
// "412 ms", "1.25 s", "30.7 s", "2 min 05 s", "1 min"), and written back in the scenario's own notation where
// a spec is echoed (`850ms`, `1.5s`: what parseDuration reads again).

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
export const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `500ms|30s|2m|1h` (a bare number is not accepted: the unit is required) to milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`expected a duration like 500ms, 30s or 2m, got ${JSON.stringify(text)}`);
  return Math.round(Number(m[1]) * (UNIT_MS[m[2] as string] as number));
}

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** Milliseconds for people, in the unit read fastest. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${trimZeros((ms / 1_000).toFixed(2))} s`;
  if (ms < 60_000) return `${trimZeros((ms / 1_000).toFixed(1))} s`;
  const s = Math.round(ms / 1_000);
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return m % 60 === 0 ? `${m / 60} h` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** `850ms`, `1.5s`, `30s`: the scenario notation, always something parseDuration reads back. */
export function formatDurationSpec(ms: number): string {
  return ms >= 1000 && Number.isInteger(ms) ? `${ms / 1000}s` : `${ms}ms`;
}

/** "30.0" → "30", "1.50" → "1.5". */
export function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
