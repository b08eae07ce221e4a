// The one table of the servers smokestack knows: for each kind, its defaults (gunicorn's 30 s
// worker timeout is written here and nowhere else) and where it reads each setting from. Data
// only; ./settings.ts reads a command through it, ./config.ts picks T from what it read.

export type ServerKind = 'gunicorn' | 'uvicorn' | 'uwsgi' | 'django' | 'unknown';

export type SettingKey = 'timeout' | 'workers' | 'workerClass' | 'threads' | 'keepAlive' | 'graceful';

export interface ServerTable {
  defaults: Partial<Record<SettingKey, string>>;
  /** Env variables that replace a default (gunicorn and uvicorn read WEB_CONCURRENCY). */
  envDefaults: Partial<Record<SettingKey, string>>;
  flags: Partial<Record<SettingKey, string[]>>;
  fileKeys: Partial<Record<SettingKey, string>>;
  fileFlags: string[];
  fileFormat: 'python' | 'ini';
  /** Default config file read from the working directory when none is named. */
  defaultFile?: string;
  /** Env variable holding extra command-line arguments. */
  envArgs?: string;
  /** Env variables per option, between the config file and the command line. */
  envVars: Partial<Record<SettingKey, string[]>>;
}

export const TABLES: Partial<Record<ServerKind, ServerTable>> = {
  gunicorn: {
    defaults: {
      timeout: '30',
      graceful: '30',
      keepAlive: '2',
      workers: '1',
      workerClass: 'sync',
      threads: '1',
    },
    envDefaults: { workers: 'WEB_CONCURRENCY' },
    flags: {
      timeout: ['--timeout', '-t'],
      workers: ['--workers', '-w'],
      workerClass: ['--worker-class', '-k'],
      threads: ['--threads'],
      keepAlive: ['--keep-alive'],
      graceful: ['--graceful-timeout'],
    },
    fileKeys: {
      timeout: 'timeout',
      workers: 'workers',
      workerClass: 'worker_class',
      threads: 'threads',
      keepAlive: 'keepalive',
      graceful: 'graceful_timeout',
    },
    fileFlags: ['--config', '-c'],
    fileFormat: 'python',
    defaultFile: 'gunicorn.conf.py',
    envArgs: 'GUNICORN_CMD_ARGS',
    envVars: {},
  },
  uwsgi: {
    // harakiri is off unless configured.
    defaults: { timeout: '0', workers: '1' },
    envDefaults: {},
    flags: { timeout: ['--harakiri'], workers: ['--processes', '--workers', '-p'] },
    fileKeys: { timeout: 'harakiri', workers: 'processes' },
    fileFlags: ['--ini'],
    fileFormat: 'ini',
    envVars: { timeout: ['UWSGI_HARAKIRI'], workers: ['UWSGI_PROCESSES', 'UWSGI_WORKERS'] },
  },
  uvicorn: {
    // No request timeout at all; keep-alive 5 s.
    defaults: { timeout: '0', workers: '1', keepAlive: '5' },
    envDefaults: { workers: 'WEB_CONCURRENCY' },
    flags: {
      workers: ['--workers'],
      keepAlive: ['--timeout-keep-alive'],
      graceful: ['--timeout-graceful-shutdown'],
    },
    fileKeys: {},
    fileFlags: [],
    fileFormat: 'ini',
    envVars: {
      workers: ['UVICORN_WORKERS'],
      keepAlive: ['UVICORN_TIMEOUT_KEEP_ALIVE'],
      graceful: ['UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN'],
    },
  },
  // runserver has no worker timeout.
  django: {
    defaults: { timeout: '0' },
    envDefaults: {},
    flags: {},
    fileKeys: {},
    fileFlags: [],
    fileFormat: 'ini',
    envVars: {},
  },
};

/**
 * T assumed when no known server is found (or there is no image to read, --url mode): gunicorn's
 * default, the most common worker timeout in front of Python apps; reports mark it assumed.
 */
export const ASSUMED_TIMEOUT_S = Number(TABLES.gunicorn!.defaults.timeout);
