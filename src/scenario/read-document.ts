// Reads scenario text safely — YAML (JSON is YAML too) into plain data plus a way to find the line
// of any field path. Refuses what should never reach the schema: binary or huge input, an empty
// file, duplicate keys, alias bombs, unknown tags, a top level that is not a mapping.
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { ScenarioError, type ScenarioProblem } from '../errors.js';

export type FieldPath = readonly (string | number)[];

export interface ReadDocument {
  data: Record<string, unknown>;
  /** The line (1-based) of the field at `path`, or of the nearest enclosing field that exists. */
  lineOf(path: FieldPath): number | undefined;
}

/** Scenario files are a few KB; anything this large is a mistake, not a scenario. */
export const MAX_SCENARIO_BYTES = 1_000_000;
/** Anchors are fine for sharing a block or two; thousands of expansions are an attack. */
const MAX_ALIAS_COUNT = 100;

/** Long because each way a file can be unreadable (size, encoding, YAML, JSON) gets its own located message. */
export interface ReadOptions {
  /** YAML merge keys (`<<: *defaults`), which compose files use and scenario files need not. */
  merge?: boolean;
  /** What an empty file or a non-mapping should have held, for its message. */
  expected?: string;
}

const SCENARIO_EXPECTED = 'a scenario with at least name: and load: or flows:';

export function readDocument(text: string, file: string, options: ReadOptions = {}): ReadDocument {
  const expected = options.expected ?? SCENARIO_EXPECTED;
  const fail = (message: string, line?: number): never => {
    throw new ScenarioError(file, [{ path: '', message, line }]);
  };
  if (text.length > MAX_SCENARIO_BYTES)
    fail(`the file is larger than ${MAX_SCENARIO_BYTES / 1_000_000} MB; is it a scenario?`);
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const binary = binaryAt(source);
  if (binary >= 0) {
    fail(
      'not a text file: it holds binary or non-UTF-8 bytes; expected YAML or JSON',
      source.slice(0, binary).split('\n').length,
    );
  }

  // JSON files are JSON: YAML would accept a trailing comma or a comment that every other JSON
  // tool (an editor's schema check, jq, the next person's script) refuses.
  if (file.toLowerCase().endsWith('.json')) {
    const problem = strictJsonProblem(source);
    if (problem) fail(problem.message, problem.line);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    merge: options.merge ?? false,
  });
  const lineAt = (offset: number | undefined) =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line;

  const problems: ScenarioProblem[] = [];
  for (const e of doc.errors) {
    const message =
      e.code === 'DUPLICATE_KEY'
        ? `duplicate key ${duplicateKey(source, e.pos[0])}`
        : `YAML: ${firstLine(e.message)}`;
    problems.push({ path: '', message, line: e.linePos?.[0].line ?? lineAt(e.pos[0]) });
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED')
      problems.push({
        path: '',
        message: `unsupported YAML tag: ${firstLine(w.message)}`,
        line: lineAt(w.pos[0]),
      });
  }
  if (problems.length > 0) {
    const duplicates = doc.errors.some((e) => e.code === 'DUPLICATE_KEY');
    const json = duplicates ? undefined : tryJson(source, file);
    if (json === undefined) throw new ScenarioError(file, problems.slice(0, 5));
    return { data: topLevel(json, fail, expected), lineOf: () => undefined };
  }

  if (doc.contents === null) fail(`the file is empty; expected ${expected}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    fail(
      /alias count/i.test(message)
        ? `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}); refusing a file that expands like a "billion laughs"`
        : `YAML: ${firstLine(message)}`,
    );
  }

  return {
    data: topLevel(data, fail, expected),
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineAt((node as Node).range?.[0]);
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
          if (!pair) return line;
          line = lineAt((pair.key as Node | null)?.range?.[0]) ?? line;
          node = pair.value;
          if (isScalar(node) && node.value === null) return line;
        } else if (isSeq(node) && typeof segment === 'number') {
          node = node.items[segment];
        } else {
          return line;
        }
        const start = (node as Node | null | undefined)?.range?.[0];
        if (start === undefined) return line;
        line = lineAt(start) ?? line;
      }
      return line;
    },
  };
}

/** Index of the first control character (other than tab and line ends) or replacement character, else -1. */
function binaryAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) return i;
  }
  return -1;
}

function topLevel(
  data: unknown,
  fail: (message: string) => never,
  expected: string,
): Record<string, unknown> {
  if (data === null || data === undefined) return fail(`the file is empty; expected ${expected}`);
  if (typeof data !== 'object' || Array.isArray(data))
    return fail(
      `expected a mapping of settings ${expected === SCENARIO_EXPECTED ? '(name:, load:, flows:, ...)' : `(${expected})`} at the top level, got ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`,
    );
  return data as Record<string, unknown>;
}

/**
 * The first JSON syntax error, with its line and column. The two slips YAML forgives (a trailing
 * comma, a comment) are found by a scan outside strings, since V8's message for them has no
 * position on Node 20; anything else is V8's own message, at its position when it gives one.
 */
function strictJsonProblem(source: string): { message: string; line?: number } | undefined {
  try {
    JSON.parse(source);
    return undefined;
  } catch (error) {
    const slip = jsonSlip(source);
    const raw = firstLine((error as Error).message).replace(/^Unexpected token/, 'unexpected token');
    const offset = slip?.offset ?? numberOr(/at position (\d+)/.exec(raw)?.[1]);
    const what = slip
      ? slip.kind === 'comma'
        ? 'a trailing comma (remove it)'
        : 'a comment: JSON has none (remove it, or write the scenario as .yaml)'
      : raw.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
    if (offset === undefined) return { message: `not valid JSON: ${what}` };
    const before = source.slice(0, offset).split('\n');
    const column = before[before.length - 1]!.length + 1;
    return { message: `not valid JSON at column ${column}: ${what}`, line: before.length };
  }
}

function numberOr(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** The offset of the first trailing comma or comment outside a string. */
function jsonSlip(source: string): { offset: number; kind: 'comma' | 'comment' } | undefined {
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '/' && (source[i + 1] === '/' || source[i + 1] === '*'))
      return { offset: i, kind: 'comment' };
    else if (c === ',' && /^\s*[\]}]/.test(source.slice(i + 1, i + 200))) return { offset: i, kind: 'comma' };
  }
  return undefined;
}

/** JSON files that YAML rejects (rare: e.g. odd whitespace) still load, without line numbers. */
function tryJson(source: string, file: string): unknown {
  if (!file.endsWith('.json') && !source.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(source);
  } catch {
    return undefined;
  }
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function duplicateKey(source: string, offset: number): string {
  const m = /^["']?([^"':\n]*)["']?\s*:/.exec(source.slice(offset, offset + 200));
  return m ? JSON.stringify(m[1]) : '(a key appears twice in one mapping)';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
