// A stack.compose run masks the secrets of the team's own compose file and env_file, which the
// scenario never repeats: bookshelf's DJANGO_SECRET_KEY (from its .env) is masked, while the demo
// database login the file publishes as plain values (POSTGRES_USER=bookshelf) is not, or the
// project's name would vanish from every report line.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeEnvs } from '../../../src/redact/compose-env.js';
import { createMasker } from '../../../src/redact/rules.js';
import { secretValues } from '../../../src/redact/secret-values.js';
import { loadScenario } from '../../../src/scenario/load-scenario.js';

const KEY = 'bookshelf-demo-secret-key-not-for-production';

describe('secrets of a stack.compose file', () => {
  it('masks the env_file secret, keeps values the file publishes as plain ones', async () => {
    const scenario = await loadScenario(path.resolve('test/fixtures/compose/bookshelf/scenario.yaml'), {
      importModules: false,
    });
    expect(secretValues(scenario)).not.toContain(KEY);
    const secrets = secretValues(scenario, {}, composeEnvs(scenario, {}));
    expect(secrets).toContain(KEY);
    expect(secrets).not.toContain('bookshelf');
    const mask = createMasker(secrets);
    const line = `boot: SECRET_KEY=${KEY} for bookshelf-compose-stack`;
    expect(mask(line)).not.toContain(KEY);
    expect(mask(line)).toContain('bookshelf-compose-stack');
  });

  it('a scenario without stack.compose reads no compose file', async () => {
    const scenario = await loadScenario(path.resolve('scenarios/bookshelf-smoke.yaml'), {
      importModules: false,
    });
    expect(composeEnvs(scenario, {})).toEqual([]);
  });
});
