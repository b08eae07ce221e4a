// scenarios/schema.json: committed, equal to what the code generates (so it cannot drift), and a
// real JSON Schema that accepts good scenario files and rejects bad ones (checked with ajv).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema } from '../../../src/scenario/json-schema.js';
import { scenarioJsonSchemaText } from '../../../src/scenario/write-json-schema.js';

const committed = readFileSync('scenarios/schema.json', 'utf8');
const validate = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(
  scenarioJsonSchema(),
);
const data = (file: string) => parse(readFileSync(file, 'utf8')) as unknown;

describe('scenarios/schema.json', () => {
  it('is the committed output of the schema in code (run `node dist/scenario/write-json-schema.js`)', () => {
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it.each([
    'scenarios/smoke.yaml',
    'scenarios/tmdb-import-incident.yaml',
    'scenarios/tmdb-import-fixed.yaml',
    'scenarios/tmdb-degrading.yaml',
    'scenarios/tmdb-rate-limited.yaml',
    'test/fixtures/scenarios/good/full.yaml',
    'test/fixtures/scenarios/good/minimal.json',
    'test/fixtures/scenarios/good/json-content.scenario',
    'test/fixtures/scenarios/edge/heroku-1s.yaml',
  ])('accepts %s', (file) => {
    expect(validate(data(file)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['unknown-key.yaml', '/load/0', 'additionalProperties'],
    ['not-an-integer.yaml', '/load/0/connections', 'type'],
    ['bad-duration.yaml', '/load/0/duration', 'type'],
    ['bad-name.yaml', '/name', 'pattern'],
    ['missing-name.yaml', '', 'required'],
    ['bad.json', '/load/0/connections', 'exclusiveMinimum'],
    ['wrong-types.yaml', '/stack/app/port', 'type'],
    ['top-level-list.yaml', '', 'type'],
    ['edge-unknown-profile.yaml', '/edge/profile', 'enum'],
  ])('rejects bad/%s at %s (%s)', (file, at, keyword) => {
    expect(validate(data(`test/fixtures/scenarios/bad/${file}`))).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toContainEqual([at, keyword]);
  });

  it('describes fields for editors', () => {
    const schema = scenarioJsonSchema() as {
      title: string;
      properties: Record<string, { description?: string }>;
    };
    expect(schema.title).toBe('smokestack scenario');
    expect(schema.properties.load?.description).toBe('Load phases, run in order');
  });
});
