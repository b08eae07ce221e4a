// Which environment variables a Python file reads, and the default it gives each: what a Django
// settings module says about the services and APIs the app expects (DATABASE_URL, TMDB_API_BASE
// with its production URL as the default). A reading of the common spellings, not a Python
// parser: os.environ.get / os.getenv / os.environ[...] and helpers whose name says env or config
// (django-environ's env(), python-decouple's config(), a project's own env_int()).

export interface EnvRead {
  name: string;
  /** The default when it is a string literal. */
  default?: string;
}

const CALL =
  /\b(?:os\.environ\.get|os\.environ\.setdefault|os\.getenv|environ\.get|getenv|\w*env\w*(?:\.\w+)?|config)\s*\(\s*(['"])([A-Z][A-Z0-9_]*)\1\s*(?:,\s*(?:default\s*=\s*)?(['"])((?:(?!\3).)*)\3)?/g;
const INDEX = /\bos\.environ\[\s*(['"])([A-Z][A-Z0-9_]*)\1\s*\]/g;

export function envReadsInPython(text: string): EnvRead[] {
  const found = new Map<string, EnvRead>();
  const code = text.replace(/^\s*#.*$/gm, '');
  for (const m of code.matchAll(CALL)) {
    const name = m[2]!;
    const value = m[4];
    const known = found.get(name);
    if (!known || (known.default === undefined && value !== undefined))
      found.set(name, value === undefined ? { name } : { name, default: value });
  }
  for (const m of code.matchAll(INDEX)) if (!found.has(m[2]!)) found.set(m[2]!, { name: m[2]! });
  return [...found.values()];
}

/** DJANGO_SETTINGS_MODULE as manage.py sets its default: `os.environ.setdefault("…", "x.settings")`. */
export function settingsModuleOf(managePy: string): string | undefined {
  return /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(managePy)?.[1];
}

/** The interpreter a script's shebang names (`#!/usr/bin/env python3` → python3), if it is a Python. */
export function pythonOfShebang(script: string): string | undefined {
  const line = /^#!(.*)$/m.exec(script.split('\n', 1)[0] ?? '')?.[1]?.trim();
  if (!line) return undefined;
  const words = line.split(/\s+/);
  const program =
    (words[0]?.endsWith('/env') ? words.find((w, i) => i > 0 && !w.startsWith('-')) : words[0]) ?? '';
  const base = program.slice(program.lastIndexOf('/') + 1);
  return /^python[\d.]*$/.test(base) ? base : undefined;
}
