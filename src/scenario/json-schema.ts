// The scenario schema as JSON Schema (draft 2020-12), for editors: `# yaml-language-server:
// $schema=./schema.json` completes and checks scenario files. Generated from the zod schema's
// input side, so it cannot disagree with what `smokestack validate` accepts (cross-field checks
// — unique names, captured variables — are only in code).
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export const SCHEMA_ID = 'urn:smokestack:scenario:1';

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'smokestack scenario',
    description:
      'A smokestack scenario: the stack to start, mocked dependencies, load phases, flows, budgets and integrity checks. Durations: 500ms, 30s, 2m; rates: 200/s.',
    ...rest,
  };
}
