// Compose's variable interpolation, applied to every string value of the file before it is read:
// `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}`, `${VAR:?message}` / `${VAR?message}`,
// `${VAR:+alt}` / `${VAR+alt}`, and `$$` for a literal `$`. Defaults may themselves hold
// variables. An unset variable without a default becomes "" (compose warns; so do we).

export interface Interpolated {
  value: string;
  /** Variables that were referenced but not set (and had no default). */
  unset: string[];
}

/** A `${VAR:?message}` whose variable is not set: the caller turns it into a usage error. */
export class RequiredVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable} is required: ${reason}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const unset: string[] = [];
  const value = expand(text, env, unset);
  return { value, unset };
}

function expand(text: string, env: Readonly<Record<string, string | undefined>>, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new RequiredVariableError(text.slice(i), 'unclosed ${ (write $$ for a literal $)');
      out += braced(text.slice(i + 2, end), env, unset);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) {
        out += '$';
        i += 1;
        continue;
      }
      out += lookup(name, env, unset) ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(body: string, env: Readonly<Record<string, string | undefined>>, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new RequiredVariableError(`\${${body}}`, 'not a variable name');
  const rest = body.slice(name.length);
  const raw = env[name];
  if (rest === '') return lookup(name, env, unset) ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op)
    throw new RequiredVariableError(
      `\${${body}}`,
      'expected a variable with an optional :-default, :?error or :+alternative',
    );
  const arg = rest.slice(op.length);
  // With the colon an empty value counts as unset, as in the shell.
  const isSet = op.startsWith(':') ? raw !== undefined && raw !== '' : raw !== undefined;
  switch (op.replace(':', '')) {
    case '-':
      return isSet ? (raw as string) : expand(arg, env, unset);
    case '+':
      return isSet ? expand(arg, env, unset) : '';
    default:
      if (!isSet) throw new RequiredVariableError(name, expand(arg, env, unset) || 'not set');
      return raw as string;
  }
}

function lookup(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  unset: string[],
): string | undefined {
  const v = env[name];
  if (v === undefined && !unset.includes(name)) unset.push(name);
  return v;
}
