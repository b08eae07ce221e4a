// A reader that applies each known server's layers (./kinds.ts: its defaults, env defaults
// (WEB_CONCURRENCY), its config file, env args (GUNICORN_CMD_ARGS), per-option env variables,
// then its command line, lowest priority first) to one server command. Values carry where they came from, for `target.server.detectedFrom`.

import type { ServerCommand } from './command.js';
import { type FileSetting, iniSettings, pythonSettings } from './config-file-text.js';
import { type ServerKind, type SettingKey, TABLES } from './kinds.js';
import { shellWords } from './shell-words.js';

export type { SettingKey };

export interface Setting {
  /** The value as written (`60`, `gthread`), or undefined when the config file computes it. */
  value?: string;
  /** `Cmd: --timeout 60`, `GUNICORN_CMD_ARGS: -w 3`, `gunicorn default`. */
  from: string;
  /** Set by the scenario (its env or command), not by the image. */
  byScenario: boolean;
  isDefault: boolean;
}

/** The server's own default for a setting (`30` for gunicorn's timeout), if it has one. */
export function defaultSetting(kind: ServerKind, key: SettingKey): string | undefined {
  return TABLES[kind]?.defaults[key];
}

/** The config file the server will read (relative to its working directory unless absolute). */
export function configFileOf(command: ServerCommand): { path: string; named: boolean } | undefined {
  const table = TABLES[command.kind];
  if (!table) return undefined;
  const fromArgs = (args: string[]) => lastFlag(args, { file: table.fileFlags }).file?.value;
  const envArgs = table.envArgs ? command.env[table.envArgs] : undefined;
  const named =
    fromArgs(command.args) ??
    (envArgs === undefined ? undefined : fromArgs(words(envArgs))) ??
    // `uwsgi app.ini` reads the file as if given --ini.
    (table.fileFormat === 'ini' && table.fileFlags.length > 0
      ? command.args.find((a) => a.endsWith('.ini') && !a.startsWith('-'))
      : undefined);
  // `-c python:module.name` is a module, not a file we can read.
  if (named !== undefined) return named.startsWith('python:') ? undefined : { path: named, named: true };
  return table.defaultFile ? { path: table.defaultFile, named: false } : undefined;
}

/** Every setting the server will run with, highest-priority layer winning. */
export function readSettings(
  command: ServerCommand,
  file?: { path: string; text: string },
): Partial<Record<SettingKey, Setting>> {
  const table = TABLES[command.kind];
  if (!table) return {};
  const out: Partial<Record<SettingKey, Setting>> = {};
  const put = (key: SettingKey, s: Setting) => {
    out[key] = s;
  };
  const inScenario = (name: string) => command.scenarioKeys.has(name);
  for (const [key, value] of entries(table.defaults)) {
    put(key, { value, from: `${command.kind} default`, byScenario: false, isDefault: true });
  }
  for (const [key, name] of entries(table.envDefaults)) {
    const value = command.env[name];
    if (value) put(key, { value, from: `${name}=${value}`, byScenario: inScenario(name), isDefault: false });
  }
  if (file) {
    const settings: Map<string, FileSetting> =
      table.fileFormat === 'python'
        ? pythonSettings(file.text, command.env)
        : iniSettings(file.text, command.env);
    for (const [key, name] of entries(table.fileKeys)) {
      const s = settings.get(name);
      if (!s) continue;
      const value = 'value' in s ? s.value : undefined;
      put(key, { value, from: `${file.path}: ${s.text}`, byScenario: false, isDefault: false });
    }
  }
  if (table.envArgs && command.env[table.envArgs] !== undefined) {
    const name = table.envArgs;
    for (const [key, f] of entries(lastFlag(words(command.env[name]!), table.flags))) {
      put(key, {
        value: f.value,
        from: `${name}: ${f.text}`,
        byScenario: inScenario(name),
        isDefault: false,
      });
    }
  }
  for (const [key, names] of entries(table.envVars)) {
    for (const name of names) {
      const value = command.env[name];
      if (value)
        put(key, { value, from: `${name}=${value}`, byScenario: inScenario(name), isDefault: false });
    }
  }
  const byScenario = command.written;
  for (const [key, f] of entries(lastFlag(command.args, table.flags))) {
    put(key, { value: f.value, from: `${command.where}: ${f.text}`, byScenario, isDefault: false });
  }
  return out;
}

/** The last occurrence of each flag: `--timeout 60`, `--timeout=60`, `-t 60`, `-t60`. */
export function lastFlag<K extends string>(
  args: string[],
  flags: Partial<Record<K, string[]>>,
): Partial<Record<K, { value: string; text: string }>> {
  const found: Partial<Record<K, { value: string; text: string }>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    for (const [key, names] of entries(flags)) {
      for (const name of names) {
        if (arg === name && i + 1 < args.length) {
          found[key] = { value: args[i + 1]!, text: `${name} ${args[i + 1]}` };
        } else if (name.startsWith('--') && arg.startsWith(`${name}=`)) {
          found[key] = { value: arg.slice(name.length + 1), text: arg };
        } else if (!name.startsWith('--') && arg.startsWith(name) && arg.length > name.length) {
          found[key] = { value: arg.slice(name.length).replace(/^=/, ''), text: arg };
        }
      }
    }
  }
  return found;
}

function words(text: string): string[] {
  return shellWords(text).flatMap((t) => ('word' in t ? [t.word] : []));
}

function entries<K extends string, V>(record: Partial<Record<K, V>>): [K, V][] {
  return Object.entries(record) as [K, V][];
}
