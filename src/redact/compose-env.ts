// The env of every service of a `stack.compose` file, for secretValues(): a team's compose file and
// its env_file carry the app's real secrets (DJANGO_SECRET_KEY=…), which the scenario never
// repeats, so the scenario alone would leave them unmasked. Read the way the run reads the file
// (the process env over the file's .env); a file that cannot be read gives nothing here, as the
// run itself then stops with a usage error naming it.
import path from 'node:path';
import { loadCompose } from '../compose/index.js';
import type { Scenario } from '../scenario/types.js';

export function composeEnvs(
  scenario: Scenario,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string>[] {
  const compose = scenario.stack.compose;
  if (!compose) return [];
  try {
    const project = loadCompose(path.resolve(path.dirname(scenario.file), compose.file), env);
    return project.services.map((s) => s.env);
  } catch {
    return [];
  }
}
