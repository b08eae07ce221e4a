// Counting statements the way Postgres splits them: a `;` inside a string, an identifier, a dollar
// body or a comment ends nothing; a trailing `;` is not a second statement.
import { describe, expect, it } from 'vitest';
import { countStatements } from '../../../src/scenario/sql-statements.js';

describe('countStatements', () => {
  it.each([
    ['SELECT 1', 1],
    ['SELECT 1;', 1],
    ['  SELECT 1 ;  -- done\n', 1],
    ["SELECT count(*) FROM t WHERE title <> ';'", 1],
    ["SELECT 'it''s; fine'", 1],
    ["SELECT E'a\\'; b'", 1],
    ['SELECT "odd;name" FROM t', 1],
    ['SELECT $$;$$, $body$ ; $x$ ; $body$', 1],
    ['SELECT 1 /* ; /* nested ; */ still ; */', 1],
    ['SELECT 1 -- ; DELETE FROM t', 1],
    ['SELECT $1::int', 1],
    ['SELECT 1; DELETE FROM django_migrations', 2],
    ['SET statement_timeout = 0; SELECT pg_sleep(100)', 2],
    ["SELECT ';'; DROP TABLE t;", 2],
    ['SELECT 1;;;SELECT 2', 2],
    ['', 0],
    ['-- only a comment', 0],
  ])('%j holds %i statement(s)', (sql, n) => {
    expect(countStatements(sql)).toBe(n);
  });
});
