// The server's worker configuration for `target.server`: which server the app image runs and
// its timeout T, workers, worker class, keep-alive and graceful timeout, each with where it came
// from. Pure: the caller supplies the image's Cmd/Entrypoint/Env, the scenario's env and command
// and, when the server names one, the text of its config file (see configFileToRead).
//
// T's source, highest first: --server-timeout (flag) > the scenario's server.timeout (scenario)
// > the image's own configuration (image; `scenario` when the scenario's env or command set it)
// > the server's default (server-default, from ./kinds.ts; uvicorn, Django runserver and uWSGI
// without harakiri have none: 0 = disabled). An unrecognised server gets ASSUMED_TIMEOUT_S,
// marked server-default and `kind: unknown` so reports can say it was assumed.
import type { ServerConfig, TimeoutSource } from '../result/types.js';
import { findServerCommand, type ServerCommandInput } from './command.js';
import { ASSUMED_TIMEOUT_S } from './kinds.js';
import { configFileOf, defaultSetting, readSettings, type Setting, type SettingKey } from './settings.js';

export interface ServerConfigInput extends ServerCommandInput {
  /** Text of the server's config file, read from the image (best effort). */
  configFileText?: string;
  /** Its path as the report should name it. Default: the path configFileToRead gave. */
  configFilePath?: string;
  /** --server-timeout or the scenario's server.timeout, already resolved by the caller. */
  override?: { timeoutMs?: number; source: 'flag' | 'scenario' };
}

const LABELS: Record<SettingKey, string> = {
  timeout: 'timeout',
  workers: 'workers',
  workerClass: 'worker class',
  threads: 'threads',
  keepAlive: 'keep-alive',
  graceful: 'graceful timeout',
};

/** The config file the server in this command will read, if any: absolute, or relative to WorkingDir. */
export function configFileToRead(input: ServerCommandInput): { path: string; named: boolean } | undefined {
  const command = findServerCommand(input);
  return command ? configFileOf(command) : undefined;
}

export function detectServerConfig(input: ServerConfigInput): ServerConfig {
  const command = findServerCommand(input);
  const file =
    command && input.configFileText !== undefined
      ? {
          path: input.configFilePath ?? configFileOf(command)?.path ?? 'config file',
          text: input.configFileText,
        }
      : undefined;
  const settings = command ? readSettings(command, file) : {};
  const kind = command?.kind ?? 'unknown';
  const detectedFrom: string[] = [];

  const override = input.override?.timeoutMs === undefined ? undefined : input.override;
  const detected = settings.timeout;
  let timeoutS: number;
  let timeoutSource: TimeoutSource;
  if (override) {
    timeoutS = override.timeoutMs! / 1000;
    timeoutSource = override.source;
    detectedFrom.push(
      `timeout ${timeoutS} (${override.source === 'flag' ? '--server-timeout' : 'scenario server.timeout'})`,
    );
    if (detected && !detected.isDefault) detectedFrom.push(`overridden: ${describe('timeout', detected)}`);
  } else if (detected && !detected.isDefault && numberOf(detected) !== undefined) {
    timeoutS = numberOf(detected)!;
    timeoutSource = detected.byScenario ? 'scenario' : 'image';
    detectedFrom.push(describe('timeout', detected));
  } else {
    timeoutS = Number(defaultSetting(kind, 'timeout') ?? ASSUMED_TIMEOUT_S);
    timeoutSource = 'server-default';
    if (detected?.isDefault === false) detectedFrom.push(`${describe('timeout', detected)}, so the default`);
    detectedFrom.push(
      kind === 'unknown'
        ? `timeout ${timeoutS} (assumed: no known server in the image's command)`
        : `timeout ${timeoutS} (${kind} default)`,
    );
  }

  const config: ServerConfig = { kind, timeoutS, timeoutSource };
  const workers = numberOf(settings.workers);
  if (workers !== undefined) config.workers = workers;
  const workerClass = gunicornWorkerClass(settings);
  if (workerClass !== undefined) config.workerClass = workerClass;
  const keepAlive = numberOf(settings.keepAlive);
  if (keepAlive !== undefined) config.keepAliveS = keepAlive;
  const graceful = numberOf(settings.graceful);
  if (graceful !== undefined) config.gracefulTimeoutS = graceful;
  for (const key of ['workers', 'workerClass', 'threads', 'keepAlive', 'graceful'] as const) {
    const s = settings[key];
    if (s && (!s.isDefault || key !== 'threads')) detectedFrom.push(describe(key, s));
  }
  if (command) detectedFrom.unshift(`${kind} (${command.where})`);
  config.detectedFrom = detectedFrom;
  return config;
}

function describe(key: SettingKey, s: Setting): string {
  return s.value === undefined
    ? `${LABELS[key]} computed at start (${s.from})`
    : `${LABELS[key]} ${s.value} (${s.from})`;
}

function numberOf(s: Setting | undefined): number | undefined {
  if (s?.value === undefined) return undefined;
  const n = Number(s.value.trim());
  return Number.isFinite(n) && s.value.trim() !== '' ? n : undefined;
}

/** gunicorn's own names for its classes, and its rule that sync with threads > 1 runs gthread. */
function gunicornWorkerClass(settings: Partial<Record<SettingKey, Setting>>): string | undefined {
  const raw = settings.workerClass?.value;
  if (raw === undefined) return undefined;
  const named =
    /^(?:egg:gunicorn#)?(\w+)$/.exec(raw)?.[1] ??
    {
      'gunicorn.workers.sync.SyncWorker': 'sync',
      'gunicorn.workers.gthread.ThreadWorker': 'gthread',
      'gunicorn.workers.ggevent.GeventWorker': 'gevent',
      'gunicorn.workers.geventlet.EventletWorker': 'eventlet',
      'gunicorn.workers.gtornado.TornadoWorker': 'tornado',
    }[raw] ??
    raw;
  const threads = numberOf(settings.threads) ?? 1;
  return named === 'sync' && threads > 1 ? 'gthread' : named;
}
