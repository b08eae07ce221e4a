// How many SQL statements a scenario's query holds. An integrity check (and the settle query) is
// one read-only query; `SELECT 1; DELETE FROM django_migrations` is two, and is refused when the
// scenario is validated, before anything starts. Postgres's lexical rules for where a `;` does not
// end a statement: inside '…' (with '' doubled, and E'…' with backslash escapes), "…" identifiers,
// $tag$…$tag$ bodies, -- line comments and nested /* */ comments.

/** Pure: the number of non-empty statements in `sql` (a trailing `;` makes no extra one). */
export function countStatements(sql: string): number {
  let count = 0;
  let content = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === ';') {
      if (content) count += 1;
      content = false;
      i += 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      content = true;
      if (c === "'") i = skipQuoted(sql, i, "'", isEscapeString(sql, i));
      else if (c === '"') i = skipQuoted(sql, i, '"', false);
      else if (c === '$') i = skipDollar(sql, i);
      else i += 1;
    }
  }
  return count + (content ? 1 : 0);
}

/** E'…' (or e'…'), not part of a longer word: backslash escapes apply. */
function isEscapeString(sql: string, quote: number): boolean {
  const before = sql[quote - 1];
  return (before === 'E' || before === 'e') && !/[A-Za-z0-9_]/.test(sql[quote - 2] ?? '');
}

function skipQuoted(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth += 1;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return sql.length;
}

/** $tag$…$tag$ (tag may be empty); `$1` is a parameter, not a quote. */
function skipDollar(sql: string, start: number): number {
  const open = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start));
  if (!open) return start + 1;
  const end = sql.indexOf(open[0], start + open[0].length);
  return end < 0 ? sql.length : end + open[0].length;
}
