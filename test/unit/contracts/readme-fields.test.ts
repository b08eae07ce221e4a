// Every field of the published scenario schema is documented: each property name in
// scenarios/schema.json appears in the README's scenario reference (from "## Scenario files" to the
// next top-level section). "Appears" is kept simple on purpose — the name as a word — so a field
// added by any branch fails here, named with its path, until a line of the README mentions it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const schema = JSON.parse(readFileSync('scenarios/schema.json', 'utf8')) as JsonSchema;
const readme = readFileSync('README.md', 'utf8');

/** The scenario reference: "## Scenario files" up to the next "## " heading. */
function referenceSection(text: string): string {
  const start = text.indexOf('\n## Scenario files');
  if (start < 0) throw new Error('README.md has no "## Scenario files" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Every property as `path.to.field` (`*` for a key the user chooses, `[]` for list items). */
function fieldPaths(root: JsonSchema): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  const seen = new Set<JsonSchema>();
  const walk = (s: JsonSchema | boolean | undefined, at: string) => {
    if (!s || typeof s === 'boolean' || seen.has(s)) return;
    if (s.$ref) {
      const def = root.$defs?.[s.$ref.replace('#/$defs/', '')];
      walk(def, at);
      return;
    }
    seen.add(s);
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      if (name === '$schema') continue;
      const path = at ? `${at}.${name}` : name;
      out.push({ path, name });
      walk(child, path);
    }
    walk(s.additionalProperties, `${at}.*`);
    walk(s.items, `${at}[]`);
    for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) walk(alt, at);
    seen.delete(s);
  };
  walk(root, '');
  return out;
}

describe('the README documents every scenario field', () => {
  it('finds the fields (the walk reaches nested and keyed objects)', () => {
    const paths = fieldPaths(schema).map((f) => f.path);
    expect(paths).toContain('load[].requests[].weight');
    expect(paths).toContain('mocks.*.routes.*.latency');
    expect(paths).toContain('stack.services.*.ready.log');
  });

  it('mentions each field name in the scenario reference section', () => {
    const section = referenceSection(readme);
    const missing = fieldPaths(schema)
      .filter((f) => !new RegExp(`(^|[^A-Za-z0-9_])${f.name}([^A-Za-z0-9_]|$)`).test(section))
      .map((f) => f.path);
    expect(
      missing,
      `fields the README's "Scenario files" section does not mention: ${missing.join(', ')}`,
    ).toEqual([]);
  });
});
