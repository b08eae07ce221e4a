// Turns zod issues into the problems users read: a field path as they write it (`load[0].connections`),
// a message saying what is expected (with a did-you-mean for unknown keys), and the line.
import type { z } from 'zod';
import type { ScenarioProblem } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { show } from './fields.js';
import type { FieldPath } from './read-document.js';

/** Marks messages of unknown-key issues, which carry one hint per key (split in toProblems). */
const UNKNOWN_KEYS = '\u0000unknown-keys:';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

/**
 * The per-parse error map: messages in our style for every issue a field did not word itself.
 * Unknown keys get a hint each from the object's own keys (the schema that raised the issue).
 */
export function errorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod
        ?.def?.shape;
      const known = Object.keys(shape ?? {}).filter((k) => k !== '$schema');
      const hints = issue.keys.map((k) => didYouMean(k, known) ?? '');
      return UNKNOWN_KEYS + JSON.stringify({ hints, known });
    }
    case 'invalid_type':
      return issue.input === undefined
        ? `missing: expected ${article(issue.expected)}`
        : `expected ${article(issue.expected)}, got ${show(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' ? 'expected at least one item, got an empty list' : undefined;
    // A safety net: every pattern in the schema words its own message; zod's own text
    // ("Invalid string: must match pattern /.../") must never reach a user.
    case 'invalid_format':
      return `${show(issue.input)} is not in the form this field takes (see the README's scenario reference)`;
    default:
      return undefined;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    int: 'an integer',
  };
  return names[type] ?? type;
}

/** One problem per issue (one per key for unknown keys), with lines, in file order. */
export function toProblems(
  issues: readonly z.core.$ZodIssue[],
  lineOf: (path: FieldPath) => number | undefined,
): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const branch = matchedBranch(issue);
    if (branch) {
      const at = (p: FieldPath) => lineOf(p);
      const nested = branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
      problems.push(...toProblems(nested, at));
      continue;
    }
    if (issue.code === 'unrecognized_keys' && issue.message.startsWith(UNKNOWN_KEYS)) {
      const { hints, known } = JSON.parse(issue.message.slice(UNKNOWN_KEYS.length)) as {
        hints: string[];
        known: string[];
      };
      issue.keys.forEach((key, i) => {
        const hint = hints[i];
        problems.push({
          path: formatPath([...path, key]),
          message: hint
            ? `unknown key; did you mean "${hint}"?`
            : `unknown key (expected one of ${known.join(', ')})`,
          line: lineOf([...path, key]),
        });
      });
      continue;
    }
    // A bad key of a mapping: the key's own message ("expected a service name ..."), not the
    // mapping's ("expected a mapping of ...", which the value did satisfy).
    const inner = issue.code === 'invalid_key' ? issue.issues : [];
    const message = inner.length > 0 ? inner.map((i) => i.message).join('; ') : issue.message;
    problems.push({ path: formatPath(path), message, line: lineOf(path) });
  }
  return sortProblems(dedupe(problems));
}

/** Each message once: two checks of one field can word the same thing (a union and its member). */
export function dedupe<T extends { path: string; message: string; file?: string }>(problems: T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file ?? ''}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In file order: by file (the scenario's own first), then line. */
export function sortProblems<T extends { line?: number; file?: string }>(problems: T[]): T[] {
  return [...problems].sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0),
  );
}

/** `load[0].requests[1].path`, `mocks.tmdb.routes["/3/movie/:id"].latency`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/**
 * `app: web` or `app: { image: ... }`: when the value is a mapping, the problems are the mapping's
 * fields (`stack.app.port: expected a port number`), not "expected a string or a mapping". The
 * branch whose type the value has is the one whose problems are all below the value itself.
 */
function matchedBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union' || !('errors' in issue)) return undefined;
  const branches = issue.errors as z.core.$ZodIssue[][];
  const typed = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0));
  const others = branches.filter((b) => !typed.includes(b));
  if (
    typed.length !== 1 ||
    !others.every((b) => b.every((i) => i.code === 'invalid_type' && i.path.length === 0))
  )
    return undefined;
  return typed[0];
}
