// Rates as scenario files and options write them: `200/s`, `40/s`, `600/m`.
import { UNIT_MS } from './duration.js';

const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/;

/** Parses `200/s` or `600/m` to requests per second. */
export function parseRate(text: string): number {
  const m = RATE.exec(text);
  if (!m || Number(m[1]) <= 0)
    throw new Error(`expected a rate like 200/s or 600/m, got ${JSON.stringify(text)}`);
  return (Number(m[1]) * 1000) / (UNIT_MS[m[2] as string] as number);
}

/** Requests per second for people: "20/s", "0.5/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return `${Number(perSecond.toFixed(perSecond < 10 ? 1 : 0))}/s`;
}
