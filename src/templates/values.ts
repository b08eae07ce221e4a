// `{{mocks.tmdb.served.movies}}` in integrity checks: the same tags and value paths as traffic
// templates (./template.ts), looked up in the values the run produced (what the mocks served),
// filled in after the traffic. A template that names no value
// is reported, not guessed: the check fails and says which template and what is known.

import { NAME, TAG } from './template.js';

const KNOWN_SHOWN = 20;

export type Rendered = { ok: true; text: string } | { ok: false; problem: string };

export function renderTemplate(text: string, values: Record<string, unknown>): Rendered {
  const problems: string[] = [];
  const out = text.replace(TAG, (whole, path: string) => {
    const found = lookup(values, path);
    if (found.ok) return found.text;
    problems.push(`${whole}: ${found.problem}`);
    return whole;
  });
  return problems.length > 0 ? { ok: false, problem: problems.join('; ') } : { ok: true, text: out };
}

/** Whether the text has any template at all (for the "expected" column: show where a value came from). */
export function hasTemplate(text: string): boolean {
  return new RegExp(TAG.source).test(text);
}

function lookup(values: Record<string, unknown>, path: string): Rendered {
  if (!NAME.test(path)) {
    return { ok: false, problem: 'not a value path (expected e.g. {{mocks.tmdb.served.movies}})' };
  }
  let current: unknown = values;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i += 1) {
    const key = parts[i]!;
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      const at = parts.slice(0, i).join('.');
      const known =
        typeof current === 'object' && current !== null
          ? Object.keys(current).map((k) => (at ? `${at}.${k}` : k))
          : [];
      const where = at ? `no value ${key} under ${at}` : `no value ${key}`;
      // A status map holds every code 100–599: the list stays readable.
      const shown =
        known.length > KNOWN_SHOWN
          ? [...known.slice(0, KNOWN_SHOWN), `… ${known.length - KNOWN_SHOWN} more`]
          : known;
      return { ok: false, problem: known.length > 0 ? `${where} (known: ${shown.join(', ')})` : where };
    }
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'number' || typeof current === 'string' || typeof current === 'boolean') {
    return { ok: true, text: String(current) };
  }
  return { ok: false, problem: 'not a single value' };
}
