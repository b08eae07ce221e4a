// nginx's configuration syntax as nginx reads it: directives end in `;` or open a `{ }` block,
// words may be quoted ('...' or "...", with backslash escapes), `#` starts a comment to the end
// of the line (outside quotes). Pure: one file's text in, its directives out, each with its
// file and line so a timeout can name where it was set.

export interface Directive {
  name: string;
  args: string[];
  /** Set when the directive opens a block (`http`, `server`, `location`, `upstream`). */
  block?: Directive[];
  file: string;
  line: number;
}

export class NginxSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

interface Token {
  text: string;
  /** `;`, `{`, `}` as syntax (a quoted ";" is a word). */
  punct: boolean;
  line: number;
}

export function parseNginx(text: string, file: string): Directive[] {
  const tokens = tokenize(text, file);
  let i = 0;
  const readBlock = (closing: boolean, openedAt: number): Directive[] => {
    const out: Directive[] = [];
    let words: Token[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (!t.punct) {
        words.push(t);
        continue;
      }
      if (t.text === '}') {
        if (words.length > 0)
          throw new NginxSyntaxError(file, t.line, `unexpected "}" after "${words[0]!.text}"`);
        if (!closing) throw new NginxSyntaxError(file, t.line, 'unexpected "}"');
        return out;
      }
      const [name, ...args] = words;
      if (!name) throw new NginxSyntaxError(file, t.line, `unexpected "${t.text}"`);
      const directive: Directive = { name: name.text, args: args.map((a) => a.text), file, line: name.line };
      if (t.text === '{') directive.block = readBlock(true, t.line);
      out.push(directive);
      words = [];
    }
    if (words.length > 0)
      throw new NginxSyntaxError(file, words[0]!.line, `"${words[0]!.text}" has no ending ";"`);
    if (closing) throw new NginxSyntaxError(file, openedAt, 'a "{" is never closed');
    return out;
  };
  return readBlock(false, 1);
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ text: c, punct: true, line });
      i += 1;
    } else if (c === '"' || c === "'") {
      const start = line;
      let word = '';
      i += 1;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        if (text[i] === '\n') line += 1;
        word += text[i];
        i += 1;
      }
      if (i >= text.length) throw new NginxSyntaxError(file, start, `a ${c} quote is never closed`);
      i += 1;
      tokens.push({ text: word, punct: false, line: start });
    } else {
      let word = '';
      // `${var}` braces belong to the word, not to the block syntax.
      while (i < text.length && !/[\s;{}]/.test(text[i]!)) {
        if (text[i] === '$' && text[i + 1] === '{') {
          const end = text.indexOf('}', i);
          word += text.slice(i, end < 0 ? text.length : end + 1);
          i = end < 0 ? text.length : end + 1;
          continue;
        }
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        word += text[i];
        i += 1;
      }
      tokens.push({ text: word, punct: false, line });
    }
  }
  return tokens;
}

/** nginx's time values: `60`, `60s`, `500ms`, `1m30s`, `1h` (no unit = seconds). Undefined if not one. */
export function nginxSeconds(value: string): number | undefined {
  const units: Record<string, number> = {
    ms: 0.001,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    w: 604800,
    M: 2592000,
    y: 31536000,
  };
  if (/^\d+$/.test(value)) return Number(value);
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d|w|M|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}
