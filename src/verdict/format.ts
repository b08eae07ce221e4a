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
  if (inComposeFile(setting)) return setting;
  return server.timeoutSource === 'scenario' ? `the scenario's ${setting}` : `the image's ${setting}`;
}

/** Where one server setting was read, from its detectedFrom line (`keep-alive 5 (/app/gunicorn.conf.py: keepalive = 5)`). */
export type SettingOrigin =
  /** Not said (a result without detectedFrom), or an env variable of its own (`WEB_CONCURRENCY=2`). */
  | { in: 'unknown' }
  | { in: 'default' }
  /** A config file: its path and the line as written (`keepalive = 5`). */
  | { in: 'file'; path: string; text: string }
  /** An env variable of arguments (`GUNICORN_CMD_ARGS`), or the command line (`Cmd`, `stack.app.command`). */
  | { in: 'env-args' | 'command'; where: string; text: string };

/**
 * `label` is the word config.ts writes before the value (`keep-alive`, `graceful timeout`). A
 * config file's line is an assignment (`keepalive = 5`); an argument starts with a dash.
 */
export function settingOrigin(server: Pick<ServerConfig, 'detectedFrom'>, label: string): SettingOrigin {
  const line = server.detectedFrom?.find((d) => d.startsWith(`${label} `));
  const from = line?.match(/\((.*)\)$/)?.[1];
  const split = from?.indexOf(': ') ?? -1;
  if (!from) return { in: 'unknown' };
  if (split < 0) return { in: from.endsWith(' default') ? 'default' : 'unknown' };
  const where = from.slice(0, split);
  const text = from.slice(split + 2);
  if (!text.startsWith('-')) return { in: 'file', path: where, text };
  return { in: /_ARGS$/.test(where) ? 'env-args' : 'command', where, text };
}

/**
 * How to set a server setting to `value`, where the image sets it: `` `timeout = 31` in
 * /app/gunicorn.conf.py (where the image sets it)``, `--timeout 31 in GUNICORN_CMD_ARGS (where the
 * image sets it)`, else the flag (`--timeout 31`). `fileKey` is the config file's name for it.
 */
export function setTo(origin: SettingOrigin, flag: string, fileKey: string, value: number): string {
  if (origin.in === 'file') return `\`${fileKey} = ${value}\` in ${origin.path} (where the image sets it)`;
  if (origin.in === 'env-args') return `${flag} ${value} in ${origin.where} (where the image sets it)`;
  if (origin.in === 'command' && inComposeFile(origin.where))
    return `${flag} ${value} in ${origin.where} (where the compose file sets it)`;
  return `${flag} ${value}`;
}

/** A compose service's command line, as the plan names it: `docker-compose.yml services.web.command`. */
const inComposeFile = (where: string) => / services\.[^ ]+\.(command|entrypoint)\b/.test(where);

/** The same, short, for a title: `` `timeout = 31` in /app/gunicorn.conf.py ``, or the flag. */
export function setToShort(origin: SettingOrigin, flag: string, fileKey: string, value: number): string {
  return origin.in === 'file' ? `\`${fileKey} = ${value}\` in ${origin.path}` : `${flag} ${value}`;
}
