// The name a request or flow step gets in the reports when the scenario gives it none: its method
// and path, with each template written the way routes are (`GET /movies/:id/`), not as template
// text (`GET /movies/{{pick tmdb.ids}}/`). A template is named from what it reads: the last part
// of its value path (a list it picks from, singular: `{{pick tmdb.ids}}` → `:id`; `{{job}}` →
// `:job`) or its keyword (`{{seq}}` → `:seq`, `{{random 1 50}}` → `:random`). A query value that
// is a template is named after its parameter (`page={{random 1 50}}` → `page=:page`).
import { TAG } from '../templates/template.js';

export function endpointName(method: string, path: string): string {
  return `${method} ${pathPattern(path)}`;
}

export function pathPattern(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return named(path);
  const query = path
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return named(pair);
      const key = named(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      return `${key}=${isOneTag(value) ? `:${key}` : named(value)}`;
    });
  return `${named(path.slice(0, q))}?${query.join('&')}`;
}

function named(text: string): string {
  return text.replace(TAG, (_whole, body: string) => `:${tagName(body)}`);
}

function isOneTag(text: string): boolean {
  return /^\{\{[^{}]*\}\}$/.test(text);
}

function tagName(body: string): string {
  const [head = '', list] = body.trim().split(/\s+/);
  if (head === 'pick' && list) return singular(lastPart(list));
  return lastPart(head);
}

function lastPart(path: string): string {
  return path.split('.').at(-1) ?? path;
}

/** `ids` → `id`, `entries` → `entry`, `isbns` → `isbn`; one item of the list. */
function singular(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}
