// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell parameter syntax is what these tests feed in
import { describe, expect, it } from 'vitest';
import { shellWords } from '../../../src/server/shell-words.js';

const words = (script: string, env: Record<string, string> = {}) =>
  shellWords(script, env).map((t) => ('word' in t ? t.word : `<${t.op === '\n' ? 'NL' : t.op}>`));

describe('shellWords', () => {
  it('splits words and operators and removes quotes', () => {
    expect(words(`a 'b c' "d e" f\\ g && h;i|j || k & l`)).toEqual([
      'a',
      'b c',
      'd e',
      'f g',
      '<&&>',
      'h',
      '<;>',
      'i',
      '<|>',
      'j',
      '<||>',
      'k',
      '<&>',
      'l',
    ]);
    expect(words('x="a b" y\n# comment\nz \\\n  w')).toEqual(['x=a b', 'y', '<NL>', '<NL>', 'z', 'w']);
    expect(words(`"it's" 'say "hi"' "a\\"b"`)).toEqual(["it's", 'say "hi"', 'a"b']);
  });

  it('expands parameters from the environment, not inside single quotes', () => {
    const env = { A: '1', EMPTY: '' };
    expect(words('$A ${A} "$A-x" \'$A\' $NOPE.', env)).toEqual(['1', '1', '1-x', '$A', '.']);
    expect(words('${A:-9} ${NOPE:-9} ${EMPTY:-9} ${EMPTY-9} ${A:+set} ${NOPE:+set}x', env)).toEqual([
      '1',
      '9',
      '9',
      '',
      'set',
      'x',
    ]);
    expect(words('${NOPE:-"quoted default"} cost$', env)).toEqual(['quoted default', 'cost$']);
  });
});
