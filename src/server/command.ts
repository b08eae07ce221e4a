// Finds the web server's command line in what a container will run: the image's Entrypoint + Cmd
// (or the scenario's command override), through `sh -c "..."` wrappers, `exec`, entrypoint
// scripts that `exec "$@"`, env assignments (`GUNICORN_CMD_ARGS=... gunicorn`), `python -m`.
import type { ServerKind } from './kinds.js';
import { type ShellToken, shellWords } from './shell-words.js';

export type { ServerKind };

export interface ServerCommandInput {
  /** The image's Cmd. */
  cmd?: string[];
  /** The image's Entrypoint. */
  entrypoint?: string[];
  /** The scenario's `stack.app.command`, replacing Cmd as `docker run IMAGE CMD...` does. */
  command?: string[];
  /** Where `command` is written when not in stack.app.command: a compose service's `command:`. */
  commandFrom?: string;
  /**
   * A compose service's `entrypoint:`, and where it is written. It replaces the image's Entrypoint
   * and, as in compose (and the engine's create call), the image's Cmd then no longer runs.
   */
  entrypointOverride?: { argv: string[]; from: string };
  /** The image's Env (`KEY=value` list as inspect gives it, or a record). */
  imageEnv?: string[] | Record<string, string>;
  /** The scenario's `stack.app.env`, applied over the image's. */
  scenarioEnv?: Record<string, string>;
}

export interface ServerCommand {
  kind: ServerKind;
  /** Arguments after the server's own name (`app:app --workers 3`). */
  args: string[];
  /** The environment the server process sees: image, scenario, then inline assignments. */
  env: Record<string, string>;
  /** Which variables were set by the scenario (for naming where a value came from). */
  scenarioKeys: Set<string>;
  /** Where the command line was found: `Entrypoint`, `Cmd`, `stack.app.command` or the compose file's key. */
  where: string;
  /** The scenario or its compose file wrote it, not the image: values from it are the scenario's. */
  written: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const SERVERS: Record<string, ServerKind> = { gunicorn: 'gunicorn', uvicorn: 'uvicorn', uwsgi: 'uwsgi' };
/** Words that mean the server's name is an argument, not the program run (`pip install gunicorn`). */
const NOT_RUN = new Set([
  'install',
  'add',
  'echo',
  'printf',
  'which',
  'type',
  'command',
  'test',
  '[',
  'grep',
]);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export function envRecord(env: string[] | Record<string, string> | undefined): Record<string, string> {
  if (!env) return {};
  if (!Array.isArray(env)) return { ...env };
  const out: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export function findServerCommand(input: ServerCommandInput): ServerCommand | undefined {
  const scenarioEnv = input.scenarioEnv ?? {};
  const env = { ...envRecord(input.imageEnv), ...scenarioEnv };
  const scenarioKeys = new Set(Object.keys(scenarioEnv));
  const override = input.entrypointOverride;
  const entrypoint = override?.argv ?? input.entrypoint ?? [];
  const cmd = input.command ?? (override ? [] : (input.cmd ?? []));
  const cmdLabel = input.command ? (input.commandFrom ?? 'stack.app.command') : 'Cmd';
  const entrypointLabel = override?.from ?? 'Entrypoint';
  // The server is found in the whole argv, so `ENTRYPOINT ["/entrypoint.sh"]` + `CMD ["gunicorn",
  // ...]` works and `ENTRYPOINT ["gunicorn"]` + `CMD ["--timeout", "60"]` keeps its arguments.
  const found = scan(expandShells([...entrypoint, ...cmd], env), env);
  if (!found) return undefined;
  const inEntrypoint = entrypoint.length > 0 && scan(expandShells(entrypoint, env), env) !== undefined;
  const where = inEntrypoint
    ? cmd.length > 0
      ? `${entrypointLabel} + ${cmdLabel}`
      : entrypointLabel
    : cmdLabel;
  // With an override nothing of the image's command line is left; with a command, the flags are in it.
  const written = input.command !== undefined || override !== undefined;
  return { ...found, scenarioKeys, where, written };
}

function expandShells(argv: string[], env: Record<string, string>): ShellToken[] {
  return expandShellTokens(
    argv.map((word) => ({ word })),
    env,
    0,
  );
}

/** Replaces `sh -c SCRIPT [args]` with the script's own tokens. */
function expandShellTokens(tokens: ShellToken[], env: Record<string, string>, depth: number): ShellToken[] {
  if (depth > 3) return tokens;
  const out: ShellToken[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    if ('word' in t && SHELLS.has(basename(t.word))) {
      let j = i + 1;
      let hasC = false;
      while (j < tokens.length) {
        const w = tokens[j]!;
        if (!('word' in w) || !/^-[a-z]+$/.test(w.word)) break;
        if (w.word.includes('c')) hasC = true;
        j += 1;
      }
      const script = tokens[j];
      if (hasC && script && 'word' in script) {
        out.push(...expandShellTokens(shellWords(script.word, env), env, depth + 1), { op: ';' });
        i = j;
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

/** Walks simple commands in order, tracking `export X=Y`; returns the first that runs a server. */
function scan(tokens: ShellToken[], baseEnv: Record<string, string>): Found | undefined {
  const env = { ...baseEnv };
  let words: string[] = [];
  const check = (): Found | undefined => {
    const found = serverIn(words, env);
    if (found) return found;
    if (words.every((w) => ASSIGNMENT.test(w)) || words[0] === 'export') {
      for (const w of words) {
        const m = ASSIGNMENT.exec(w);
        if (m) env[m[1]!] = m[2]!;
      }
    }
    return undefined;
  };
  for (const t of tokens) {
    if ('op' in t) {
      const found = check();
      if (found) return found;
      words = [];
    } else {
      words.push(t.word);
    }
  }
  return check();
}

type Found = Omit<ServerCommand, 'where' | 'scenarioKeys' | 'written'>;

function serverIn(words: string[], env: Record<string, string>): Found | undefined {
  const local = { ...env };
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    if (NOT_RUN.has(basename(w))) return undefined;
    const assignment = ASSIGNMENT.exec(w);
    if (assignment) {
      local[assignment[1]!] = assignment[2]!;
      continue;
    }
    const name = basename(w);
    const kind = SERVERS[name] ?? (w === '-m' ? SERVERS[moduleRoot(words[i + 1])] : undefined);
    if (kind) {
      return { kind, args: words.slice(w === '-m' ? i + 2 : i + 1), env: local };
    }
    if (w === 'runserver' && words.slice(0, i).some((p) => /(manage\.py|django-admin)$/.test(p))) {
      return { kind: 'django', args: words.slice(i + 1), env: local };
    }
  }
  return undefined;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** `gunicorn.app.wsgiapp` → `gunicorn`. */
function moduleRoot(word: string | undefined): string {
  return (word ?? '').split('.')[0]!;
}
