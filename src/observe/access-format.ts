// Reads access lines in a gunicorn `access_log_format` the image chose itself, when that format
// carries the request time: `%(D)s` (µs), `%(M)s` (ms) or `%(L)s` (s, `1.002345`), plus enough to
// tell the request — `%(r)s` (the request line) or `%(m)s` with `%(U)s` (and `%(q)s`), and
// `%(s)s`. The format becomes one anchored regex: its literal text escaped, the atoms it needs as
// groups, every other atom as a lazy wildcard. Pure. Atoms: gunicorn/glogging.py `atoms`.
import type { AccessEntry } from './access-entry.js';

type Parse = (line: string, arrivedAt: number, source?: string) => AccessEntry | undefined;

const GROUPS: Record<string, string> = {
  r: '(?<method>[A-Z]+) (?<path>\\S+)(?: [^" ]+)?',
  m: '(?<method>[A-Z]+)',
  U: '(?<upath>/\\S*?)',
  q: '(?<query>\\S*?)',
  s: '(?<status>\\d{3})',
  D: '(?<us>\\d+)',
  M: '(?<ms>\\d+)',
  L: '(?<sec>\\d+\\.\\d+)',
  t: '\\[[^\\]]+\\]',
};

/** A parser for lines in this format, or undefined when the format lacks a request time or the request. */
export function accessFormatParser(format: string): Parse | undefined {
  const atoms = [...format.matchAll(/%\((\{[^}]*\}[ioe]|\w)\)s/g)].map((m) => m[1]!);
  const has = (a: string) => atoms.includes(a);
  const time = ['D', 'M', 'L'].find(has);
  const request = has('r') || (has('m') && has('U'));
  if (!time || !request || !has('s')) return undefined;
  const seen = new Set<string>();
  let pattern = '';
  let last = 0;
  for (const m of format.matchAll(/%\((\{[^}]*\}[ioe]|\w)\)s/g)) {
    pattern += escapeRegex(format.slice(last, m.index));
    const atom = m[1]!;
    // A second `%(s)s` cannot be a second group of the same name.
    pattern += GROUPS[atom] && !seen.has(atom) ? GROUPS[atom] : '.*?';
    seen.add(atom);
    last = m.index + m[0].length;
  }
  pattern += escapeRegex(format.slice(last));
  const regex = new RegExp(`^${pattern}$`);
  return (line, arrivedAt, source) => {
    const g = regex.exec(line.trimEnd())?.groups;
    if (!g?.method || !g.status) return undefined;
    const path = g.path ?? `${g.upath}${g.query ? `?${g.query}` : ''}`;
    const workerMs =
      g.us !== undefined ? Number(g.us) / 1000 : g.ms !== undefined ? Number(g.ms) : Number(g.sec) * 1000;
    if (!Number.isFinite(workerMs)) return undefined;
    return {
      at: arrivedAt,
      method: g.method,
      path,
      status: Number(g.status),
      workerMs,
      ...(source !== undefined ? { source } : {}),
    };
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
