// Turns on gunicorn's access log, with each request's time in the worker, when the image and the
// scenario leave the access log unset — so a request's client latency can be split into time
// in the worker (what gunicorn's --timeout counts) and time waiting for a free worker.
//
// Only through gunicorn's own settings: GUNICORN_CMD_ARGS, appended to the value the image or
// the scenario gives. gunicorn 20.1's load_config (gunicorn/app/base.py) applies, lowest first:
// the config file, then GUNICORN_CMD_ARGS, then the command line. So the variable would beat a
// config file's `accesslog`; that is why any access-log setting anywhere (command line, the
// variable, the config file, a logging config) means: leave it as it is. The app's code, its
// responses and every other setting stay untouched. Pure: the caller passes what the image and
// the scenario say (see ./config.ts for the same inputs).

import { envRecord, findServerCommand } from './command.js';
import type { ServerConfigInput } from './config.js';
import { pythonSettings } from './config-file-text.js';
import { configFileOf } from './settings.js';
import { shellWords } from './shell-words.js';

/** First word of every injected access line, so the log parser cannot mistake it for anything else. */
export const ACCESS_MARKER = 'smokestack-access';

/**
 * gunicorn's atoms (glogging.py, all of 19.x..23.x): `%(p)s` the worker's pid as `<9>`, `%(r)s`
 * the request line as sent (`GET /api/import?pages=1 HTTP/1.1`), `%(s)s` the status, `%(D)s`
 * the time in the worker in µs (from handle_request's start to the response's last byte).
 */
export const ACCESS_FORMAT = `${ACCESS_MARKER} %(p)s "%(r)s" %(s)s %(D)s`;

/** The words appended to GUNICORN_CMD_ARGS (shlex-split by gunicorn: the quotes keep the format one word). */
export const ACCESS_ARGS = `--access-logfile - --access-logformat '${ACCESS_FORMAT}'`;

export interface AccessLogPlan {
  /** Variables to set on the app container, when the access log is turned on. */
  env?: Record<string, string>;
  /** For `target.server.injected`. */
  injected?: string[];
  /** Why nothing was injected, for `target.server.detectedFrom`. */
  note?: string;
  /**
   * The gunicorn format of the access lines on the app's stdout/stderr when they carry the request
   * time: ours when injected, else the image's own (read with src/observe/access-format.ts).
   */
  format?: string;
}

/** Settings that already decide what gunicorn's access log is (flags and config-file names). */
const ACCESS_FLAGS = [
  '--access-logfile',
  '--access-logformat',
  '--log-config',
  '--log-config-dict',
  '--log-syslog',
];
const ACCESS_FILE_KEYS = ['accesslog', 'access_log_format', 'logconfig', 'logconfig_dict', 'syslog'];
/** gunicorn's own worker classes write gunicorn's access log; others (UvicornWorker) write their own. */
const GUNICORN_CLASSES = /^(?:egg:gunicorn#)?(?:sync|gthread|gevent|eventlet|tornado)$|^gunicorn\.workers\./;

export function accessLogPlan(input: ServerConfigInput): AccessLogPlan {
  const command = findServerCommand(input);
  if (command?.kind !== 'gunicorn') return {};
  const fromEnv = { ...envRecord(input.imageEnv), ...(input.scenarioEnv ?? {}) };
  const envArgs = command.env.GUNICORN_CMD_ARGS;
  if (envArgs !== fromEnv.GUNICORN_CMD_ARGS) {
    // Set inline in the command (`GUNICORN_CMD_ARGS=... gunicorn`): the container's variable would lose.
    return { note: 'access log not turned on: GUNICORN_CMD_ARGS is set inside the command' };
  }
  const set =
    flagIn(command.args, `${command.where}`) ??
    (envArgs === undefined ? undefined : flagIn(words(envArgs), 'GUNICORN_CMD_ARGS'));
  if (set) return ownFormat(set, command.args, envArgs, input.configFileText, command.env);

  const file = configFileOf(command);
  if (file && input.configFileText === undefined && file.named) {
    return { note: `access log not turned on: ${file.path} could not be read` };
  }
  if (input.configFileText !== undefined) {
    const settings = pythonSettings(input.configFileText, command.env);
    const key = ACCESS_FILE_KEYS.find((k) => settings.has(k));
    if (key) {
      return ownFormat(settings.get(key)!.text, command.args, envArgs, input.configFileText, command.env);
    }
    const workerClass = settings.get('worker_class');
    if (workerClass && !('value' in workerClass && GUNICORN_CLASSES.test(workerClass.value))) {
      return { note: `access log not turned on: worker class ${workerClass.text} writes its own` };
    }
  }
  const workerClass =
    lastValue(command.args, ['--worker-class', '-k']) ??
    (envArgs === undefined ? undefined : lastValue(words(envArgs), ['--worker-class', '-k']));
  if (workerClass !== undefined && !GUNICORN_CLASSES.test(workerClass)) {
    return { note: `access log not turned on: worker class ${workerClass} writes its own` };
  }

  const value = envArgs === undefined || envArgs.trim() === '' ? ACCESS_ARGS : `${envArgs} ${ACCESS_ARGS}`;
  return {
    env: { GUNICORN_CMD_ARGS: value },
    injected: [`GUNICORN_CMD_ARGS: ${ACCESS_ARGS} (access log with time in the worker)`],
    format: ACCESS_FORMAT,
  };
}

/** Streams the harness reads; an access log written to a file is out of its sight. */
const STDIO = new Set(['-', '/dev/stdout', '/dev/stderr']);

/**
 * The image configures its access log: read time in the worker from it when it goes to stdout or
 * stderr in a format with `%(D)s`, `%(M)s` or `%(L)s`. Layers as gunicorn applies them: the command
 * line over GUNICORN_CMD_ARGS over the config file.
 */
function ownFormat(
  set: string,
  args: string[],
  envArgs: string | undefined,
  fileText: string | undefined,
  env: Record<string, string>,
): AccessLogPlan {
  const file = fileText === undefined ? undefined : pythonSettings(fileText, env);
  const fromFile = (key: string) => {
    const s = file?.get(key);
    return s && 'value' in s ? s.value : undefined;
  };
  const envWords = envArgs === undefined ? [] : words(envArgs);
  const pick = (flag: string, key: string) =>
    lastValue(args, [flag]) ?? lastValue(envWords, [flag]) ?? fromFile(key);
  const target = pick('--access-logfile', 'accesslog');
  const format = pick('--access-logformat', 'access_log_format');
  const note = `access log left as configured (${set})`;
  if (target === undefined || !STDIO.has(target)) return { note };
  if (format === undefined || !/%\([DML]\)s/.test(format)) {
    return { note: `${note}; its format has no request time, so latency is the client's` };
  }
  return { note: `${note}; time in the worker read from its format`, format };
}

/** `Cmd: --access-logfile -` when one of the access-log flags is present. */
function flagIn(args: string[], where: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    const flag = ACCESS_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (flag) return `${where}: ${arg === flag && args[i + 1] !== undefined ? `${arg} ${args[i + 1]}` : arg}`;
  }
  return undefined;
}

function lastValue(args: string[], names: string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name && i + 1 < args.length) found = args[i + 1];
      else if (arg.startsWith(`${name}=`)) found = arg.slice(name.length + 1);
      else if (!name.startsWith('--') && arg.startsWith(name) && arg.length > name.length)
        found = arg.slice(name.length);
    }
  }
  return found;
}

function words(text: string): string[] {
  return shellWords(text).flatMap((t) => ('word' in t ? [t.word] : []));
}
