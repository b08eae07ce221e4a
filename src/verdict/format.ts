// Small wording helpers the verdict's rules share, so findings read the same everywhere.
import type { FlaggedRequest, ServerConfig } from '../result/types.js';

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

/**
 * Where the server's timeout was read, in the user's words: `--server-timeout`, `the scenario's
 * server.timeout`, or the setting itself (`stack.app.command: --timeout 30`,
 * `GUNICORN_CMD_ARGS=--timeout 60`, `/app/gunicorn.conf.py: timeout = 20`) from detectedFrom. A
 * timeout from the scenario's command or env is `timeoutSource: scenario` too, but no server.timeout.
 */
export function timeoutOrigin(server: Pick<ServerConfig, 'timeoutSource' | 'detectedFrom'>): string {
  if (server.timeoutSource === 'flag') return '--server-timeout';
  const line = server.detectedFrom?.find((d) => d.startsWith('timeout '));
  const setting = line?.match(/\((.*)\)$/)?.[1];
  if (!setting || setting === 'scenario server.timeout') {
    return server.timeoutSource === 'scenario'
      ? "the scenario's server.timeout"
      : "the image's configuration";
  }
  return server.timeoutSource === 'scenario' ? `the scenario's ${setting}` : `the image's ${setting}`;
}
