// The small, safe condition language of flow steps (`until: "status == 'done' || progress >= 100"`),
// evaluated against a JSON response. No eval: a tokenizer, a recursive-descent parser and a tree
// walker. Operators: == != < > <= >= && || ! and parentheses; string ('…' or "…"), number, true,
// false and null literals; dotted paths into the response (`job.state`, `items.0.id`).

export type Expression =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; path: string[] }
  | { kind: 'not'; operand: Expression }
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'compare'; op: CompareOp; left: Expression; right: Expression };

type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

type Token =
  | { t: 'op'; v: string; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number; at: number }
  | { t: 'name'; v: string; at: number };

const TOKEN =
  /\s*(?:(==|!=|<=|>=|&&|\|\||[<>!()])|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*))/y;

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

/** Parses a condition; throws ExpressionError saying where it went wrong. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    const tok = tokens[i];
    const where = tok ? `at "${source.slice(tok.at).trim().slice(0, 20)}"` : 'at the end';
    throw new ExpressionError(`${what} ${where} in ${JSON.stringify(source)}`);
  };
  const isOp = (v: string) => {
    const tok = peek();
    return tok?.t === 'op' && tok.v === v;
  };

  function or(): Expression {
    let left = and();
    while (isOp('||')) {
      i++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }
  function and(): Expression {
    let left = not();
    while (isOp('&&')) {
      i++;
      left = { kind: 'and', left, right: not() };
    }
    return left;
  }
  function not(): Expression {
    if (isOp('!')) {
      i++;
      return { kind: 'not', operand: not() };
    }
    return compare();
  }
  function compare(): Expression {
    const left = primary();
    const tok = peek();
    if (tok?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(tok.v)) {
      i++;
      return { kind: 'compare', op: tok.v as CompareOp, left, right: primary() };
    }
    return left;
  }
  function primary(): Expression {
    const tok = peek();
    if (!tok) return fail('expected a value');
    i++;
    if (tok.t === 'op' && tok.v === '(') {
      const inner = or();
      if (!isOp(')')) fail('expected )');
      i++;
      return inner;
    }
    if (tok.t === 'str' || tok.t === 'num') return { kind: 'literal', value: tok.v };
    if (tok.t === 'name') {
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
      if (tok.v === 'null') return { kind: 'literal', value: null };
      return { kind: 'path', path: tok.v.split('.') };
    }
    i--;
    return fail('expected a value');
  }

  const tree = or();
  if (i < tokens.length) fail('unexpected');
  return tree;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (!m) {
      const rest = source.slice(at).trim();
      const hint = /^=[^=]/.test(rest)
        ? ' (compare with ==)'
        : /^&[^&]|^\|[^|]/.test(rest)
          ? ' (use && or ||)'
          : '';
      throw new ExpressionError(`cannot read "${rest.slice(0, 20)}"${hint} in ${JSON.stringify(source)}`);
    }
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) tokens.push({ t: 'op', v: m[1], at: start });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: unquote(m[2]), at: start });
    else if (m[3] !== undefined) tokens.push({ t: 'str', v: unquote(m[3]), at: start });
    else if (m[4] !== undefined) tokens.push({ t: 'num', v: Number(m[4]), at: start });
    else tokens.push({ t: 'name', v: m[5] as string, at: start });
    at = TOKEN.lastIndex;
  }
  if (tokens.length === 0)
    throw new ExpressionError('expected a condition like "status == \'done\'", got nothing');
  return tokens;
}

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Evaluates against a JSON value; missing paths are undefined (so `x == null` holds for them). */
export function evaluate(expr: Expression, data: unknown): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path':
      return getPath(data, expr.path);
    case 'not':
      return !truthy(evaluate(expr.operand, data));
    case 'and':
      return truthy(evaluate(expr.left, data)) && truthy(evaluate(expr.right, data));
    case 'or':
      return truthy(evaluate(expr.left, data)) || truthy(evaluate(expr.right, data));
    case 'compare':
      return compareValues(expr.op, evaluate(expr.left, data), evaluate(expr.right, data));
  }
}

export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

function compareValues(op: CompareOp, a: unknown, b: unknown): boolean {
  const left = a === undefined ? null : a;
  const right = b === undefined ? null : b;
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const l = left as number | string;
  const r = right as number | string;
  if (op === '<') return l < r;
  if (op === '>') return l > r;
  if (op === '<=') return l <= r;
  return l >= r;
}

/** `job.id` / `items.0.id` into a JSON value; undefined when any step is missing. */
export function getPath(data: unknown, path: readonly string[] | string): unknown {
  const keys = typeof path === 'string' ? path.split('.') : path;
  let v = data;
  for (const key of keys) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The problem with a condition, or undefined when it parses (for the scenario schema). */
export function checkExpression(source: string): string | undefined {
  try {
    parseExpression(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
