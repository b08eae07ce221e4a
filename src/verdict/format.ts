// Small wording helpers the verdict's rules share, so findings read the same everywhere.
import type { FlaggedRequest } from '../result/types.js';

/** `850 ms`, `30.7 s`, `2 min 5 s`. */
export function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m} min ${s} s` : `${m} min`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const percent = (x: number): string => `${Number((x * 100).toFixed(x < 0.1 ? 1 : 0))}%`;

/**
 * `POST /api/import (import all pages)`: what was sent, and the endpoint's name when the scenario
 * gave one (the default name is `METHOD path-template`, which says nothing more).
 */
export function requestLabel(f: Pick<FlaggedRequest, 'method' | 'path' | 'endpoint'>): string {
  const sent = `${f.method} ${f.path}`;
  return f.endpoint && !f.endpoint.startsWith(`${f.method} `) ? `${sent} (${f.endpoint})` : sent;
}

/** `15:45:35` from an ISO time, for lines people compare with the server's log. */
export function clock(iso: string): string {
  return iso.slice(11, 19);
}
