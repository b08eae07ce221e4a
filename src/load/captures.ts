// Captures: a flow step's variables read from its response — a JSON path, a header, a cookie of
// the copy's jar, a regular expression over the body, or an element found by a CSS selector.
// Pure: the response comes in as plain parts, a value or the words of what was missing go out.
//
// HTML is parsed with node-html-parser: a small, maintained parser with real CSS selectors
// (css-select) and entity decoding, far lighter than cheerio (no parse5/htmlparser2/undici of its
// own), and forgiving of the imperfect markup real templates produce.
import { parse } from 'node-html-parser';
import type { Capture } from '../scenario/types.js';
import { getPath } from './expression.js';

export interface CapturedResponse {
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The copy's cookie of that name, after this response was stored in the jar. */
  cookie(name: string): string | undefined;
}

export type CaptureResult = { ok: true; value: unknown } | { ok: false; problem: string };

/** Reads one capture from a response; the problem says what was looked for and not found. */
export function capture(source: Capture, res: CapturedResponse): CaptureResult {
  const found = (value: unknown, problem: string): CaptureResult =>
    value === undefined ? { ok: false, problem } : { ok: true, value };
  if ('json' in source) {
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      return { ok: false, problem: `expected a JSON response with a field ${source.json}` };
    }
    return found(getPath(json, source.json), `the response has no field ${source.json}`);
  }
  if ('header' in source) {
    const raw = res.headers[source.header.toLowerCase()];
    return found(Array.isArray(raw) ? raw[0] : raw, `the response has no header ${source.header}`);
  }
  if ('cookie' in source)
    return found(
      res.cookie(source.cookie),
      `no cookie ${source.cookie} was set (by this response or before)`,
    );
  if ('regex' in source) {
    const m = new RegExp(source.regex).exec(res.text);
    return found(
      m ? (m.length > 1 ? m[1] : m[0]) : undefined,
      `nothing in the body matches /${source.regex}/`,
    );
  }
  const el = parse(res.text).querySelector(source.html);
  if (!el) return { ok: false, problem: `no element in the body matches ${source.html}` };
  if (source.attr === undefined) return { ok: true, value: el.text.trim() };
  return found(el.getAttribute(source.attr), `${source.html} has no attribute ${source.attr}`);
}

/** Words for a capture's source, for messages: `{ html: "input[name=x]", attr: value }`. */
export function describeCapture(source: Capture): string {
  if ('json' in source) return source.json;
  if ('html' in source)
    return `{ html: ${JSON.stringify(source.html)}${source.attr ? `, attr: ${source.attr}` : ''} }`;
  const [key, value] = Object.entries(source)[0] as [string, string];
  return `{ ${key}: ${JSON.stringify(value)} }`;
}

/** The problem with a regular expression, or undefined (for the scenario schema). */
export function checkRegex(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return `not a regular expression: ${(error as Error).message}`;
  }
}

/** The problem with a CSS selector, or undefined (for the scenario schema). */
export function checkSelector(selector: string): string | undefined {
  try {
    parse('<p></p>').querySelector(selector);
    return undefined;
  } catch (error) {
    return `not a CSS selector: ${(error as Error).message}`;
  }
}
