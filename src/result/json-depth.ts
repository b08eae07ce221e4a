// How deeply a JSON text nests, found by one pass over the characters (no recursion, so no stack
// to exhaust). A result.json smokestack writes nests about 6 levels; a file that nests thousands
// (a hostile or corrupted result) would overflow the stack in JSON.parse, the schema check or a
// renderer that walks it ("Maximum call stack size exceeded"), so it is refused before parsing.

/** Results nest ~6 levels; room for unknown fields of later versions, far below any stack limit. */
export const MAX_RESULT_DEPTH = 64;

/** The first offset where `text` nests deeper than `limit`, or undefined. Strings are skipped. */
export function tooDeepAt(text: string, limit = MAX_RESULT_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > limit) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return undefined;
}
