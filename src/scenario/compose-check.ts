// stack.compose, checked in validate's one pass: the compose file is read (every error of it as
// one problem at stack.compose, naming the compose file's own line and key, and the fix), the
// service stack.app names exists, and what the scenario adds does not collide with the file
// (a second Postgres, a service name taken). Reads the process env: compose interpolates from it.
import path from 'node:path';
import { isPostgresService, loadCompose, servicesToStart } from '../compose/index.js';
import type { ComposeProject } from '../compose/types.js';
import { isSmokestackError } from '../errors.js';
import type { PathProblem } from './cross-checks.js';

type Raw = Record<string, unknown>;
const isMapping = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function composeProblems(
  data: Raw,
  scenarioDir: string,
  env: Readonly<Record<string, string | undefined>>,
): PathProblem[] {
  const stack = isMapping(data.stack) ? data.stack : {};
  if (typeof stack.compose !== 'string' || stack.compose === '') return [];
  const at = ['stack', 'compose'];
  let project: ComposeProject;
  try {
    project = loadCompose(path.resolve(scenarioDir, stack.compose), env);
  } catch (error) {
    if (!isSmokestackError(error)) throw error;
    const message = / compose file not found$/.test(error.message)
      ? `${stack.compose} not found; give the path of the compose file relative to the scenario file`
      : `${error.message}${error.fix ? `; fix: ${error.fix}` : ''}`;
    return [{ path: at, message }];
  }
  const problems: PathProblem[] = [];
  const app = stack.app;
  const service = typeof app === 'string' ? app : isMapping(app) ? app.service : undefined;
  if (typeof service !== 'string') return problems; // the schema says what is missing
  const names = project.services.map((s) => s.name);
  if (!names.includes(service)) {
    problems.push({
      path: typeof app === 'string' ? ['stack', 'app'] : ['stack', 'app', 'service'],
      message: `no service ${JSON.stringify(service)} in ${stack.compose} (its services: ${names.join(', ')})`,
    });
    return problems;
  }
  const started = servicesToStart(project, service, stack.compose);
  const pg = started.find((s) => s !== undefined && s.name !== service && isPostgresService(s));
  if (pg && stack.postgres !== undefined)
    problems.push({
      path: ['stack', 'postgres'],
      message: `the compose file has its own Postgres (service ${pg.name}); remove stack.postgres (the checks query ${pg.name}) or the service`,
    });
  if (isMapping(stack.services))
    for (const name of Object.keys(stack.services))
      if (names.includes(name))
        problems.push({
          path: ['stack', 'services', name],
          message: `the compose file already has a service ${name}; call this one another name`,
        });
  return problems;
}
