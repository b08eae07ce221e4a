// Small wording helpers the verdict's rules share, so findings read the same everywhere.
import type { FlaggedRequest } from '../result/types.js';

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

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
