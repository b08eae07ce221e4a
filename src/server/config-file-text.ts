// Reads settings out of a server's configuration file text without running it: a gunicorn
// config is Python (`timeout = 60`, `workers = int(os.environ.get("WEB_CONCURRENCY", "3"))`),
// a uWSGI config is ini (`harakiri = 30` under `[uwsgi]`). What cannot be evaluated here
// (`multiprocessing.cpu_count() * 2 + 1`) is reported as computed, never guessed.

/** A top-level setting: its literal value, or `computed` when the file computes it at start. */
export type FileSetting = { value: string; text: string } | { computed: true; text: string };

/** Top-level `name = expression` assignments of a Python config file. */
export function pythonSettings(text: string, env: Record<string, string>): Map<string, FileSetting> {
  const settings = new Map<string, FileSetting>();
  for (const raw of text.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(stripComment(raw));
    if (!m) continue;
    const value = pythonValue(m[2]!, env);
    const line = raw.trim();
    settings.set(m[1]!, value === undefined ? { computed: true, text: line } : { value, text: line });
  }
  return settings;
}

/** `key = value` lines of the `[uwsgi]` section (or of a file without sections); `$(VAR)` expanded. */
export function iniSettings(
  text: string,
  env: Record<string, string>,
  section = 'uwsgi',
): Map<string, FileSetting> {
  const settings = new Map<string, FileSetting>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1]!.trim();
      continue;
    }
    if (current !== undefined && current !== section) continue;
    const m = /^([A-Za-z0-9_-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, name: string) => env[name] ?? '');
    settings.set(m[1]!, { value, text: line });
  }
  return settings;
}

function stripComment(line: string): string {
  // A `#` inside a quoted string is not a comment; settings lines rarely have one, so keep it simple.
  const hash = line.search(/#(?=(?:[^'"]|'[^']*'|"[^"]*")*$)/);
  return hash < 0 ? line : line.slice(0, hash);
}

/** Evaluates the expressions config files really use for these settings; undefined otherwise. */
function pythonValue(expr: string, env: Record<string, string>): string | undefined {
  const e = expr.trim();
  if (/^-?\d+(\.\d+)?$/.test(e)) return e;
  const str = /^[rbuf]?(['"])(.*)\1$/s.exec(e);
  if (str) return str[2]!;
  if (e === 'True' || e === 'False') return e.toLowerCase();
  const call = /^(int|float|str)\((.*)\)$/s.exec(e);
  if (call) return pythonValue(call[2]!, env);
  const get = /^(?:os\.)?(?:environ\.get|getenv)\(\s*(['"])([^'"]+)\1\s*(?:,\s*(.+?))?\s*\)$/s.exec(e);
  if (get) {
    const set = env[get[2]!];
    if (set !== undefined) return set;
    return get[3] === undefined ? undefined : pythonValue(get[3], env);
  }
  const index = /^(?:os\.)?environ\[\s*(['"])([^'"]+)\1\s*\]$/.exec(e);
  if (index) return env[index[2]!];
  return undefined;
}
