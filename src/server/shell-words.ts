// Splits a POSIX shell script (what `sh -c "..."` and a Dockerfile's shell-form CMD run) into
// words and operators, the way the shell would before running it: quotes removed, `$VAR`,
// `${VAR}`, `${VAR:-default}` expanded from the given environment. Enough to find the server's
// command line inside an entrypoint; not a shell (no globbing, no command substitution).

/** A word, or a control operator (`&&`, `||`, `;`, `|`, `&`, newline) that ends a simple command. */
export type ShellToken = { word: string } | { op: string };

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '\n', '(', ')'];

export function shellWords(script: string, env: Record<string, string> = {}): ShellToken[] {
  const tokens: ShellToken[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const flush = () => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i += 1;
    } else if (c === '\\' && script[i + 1] === '\n') {
      i += 2; // line continuation
    } else if (c === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i += 1;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      inWord = true;
      i += 1;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && '"\\$`\n'.includes(script[i + 1] ?? '')) {
          if (script[i + 1] !== '\n') word += script[i + 1];
          i += 2;
        } else if (script[i] === '$') {
          const [value, next] = expand(script, i, env);
          word += value;
          i = next;
        } else {
          word += script[i];
          i += 1;
        }
      }
      i += 1;
    } else if (c === '\\') {
      word += script[i + 1] ?? '';
      inWord = true;
      i += 2;
    } else if (c === '$') {
      const [value, next] = expand(script, i, env);
      word += value;
      inWord = true;
      i = next;
    } else {
      const op = OPERATORS.find((o) => script.startsWith(o, i));
      if (op) {
        flush();
        tokens.push({ op });
        i += op.length;
      } else {
        word += c;
        inWord = true;
        i += 1;
      }
    }
  }
  flush();
  return tokens;
}

/** Expands the parameter at script[i] === '$'; returns the value and the index after it. */
function expand(script: string, i: number, env: Record<string, string>): [string, number] {
  const simple = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(script.slice(i));
  if (simple) return [env[simple[1]!] ?? '', i + simple[0].length];
  if (script[i + 1] === '{') {
    const end = script.indexOf('}', i + 2);
    if (end > 0) {
      const body = script.slice(i + 2, end);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-=+?])(.*))?$/s.exec(body);
      if (m) {
        const value = env[m[1]!];
        const unsetOrEmpty = m[2] === ':' ? !value : value === undefined;
        const alt = unquote(m[4] ?? '');
        switch (m[3]) {
          case '-':
          case '=':
            return [unsetOrEmpty ? alt : value!, end + 1];
          case '+':
            return [unsetOrEmpty ? '' : alt, end + 1];
          default:
            return [value ?? '', end + 1];
        }
      }
      return ['', end + 1];
    }
  }
  return ['$', i + 1];
}

function unquote(s: string): string {
  return s.replace(/^(['"])(.*)\1$/s, '$2');
}
