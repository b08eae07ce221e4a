// A compose stack as this run will start it, decided before anything starts: which services
// (servicesToStart), their images (--image / stack.app.image over the app service's, and over
// every service that runs the same image, e.g. its migration; SMOKESTACK_POSTGRES_IMAGE over the
// Postgres service's), what must be built first, the app's port and readiness path, and the
// AppSpec the rest of the stack reads (the compose env under the scenario's, the compose command
// unless the scenario gives one). Reads the compose file; starts nothing.
import path from 'node:path';
import {
  type ComposeBuild,
  type ComposeProject,
  type ComposeService,
  httpHealthPath,
  isPostgresService,
  loadCompose,
  type PostgresLogin,
  postgresLogin,
  servicesToStart,
} from '../compose/index.js';
import type { AppSpec, ComposeStackSpec, Scenario } from '../scenario/types.js';
import type { AppRun } from '../server/from-image.js';

export interface ComposePlan {
  project: ComposeProject;
  /** The compose file as messages name it. */
  shown: string;
  /** The services to start, app included, in file order, with the images this run uses. */
  services: ComposeService[];
  appService: ComposeService;
  /** The app as the stack starts it: port, readiness, env, command and entrypoint resolved. */
  appSpec: AppSpec & AppRun & { image: string };
  postgres?: { service: string; login: PostgresLogin; replaced?: { from: string; by: string } };
  /** One-shot services: something waits for them with service_completed_successfully. */
  oneShots: Set<string>;
  /**
   * Services something waits for with service_healthy: only these get their healthcheck. A check
   * nothing waits for would only take CPU from the app under load (the app's readiness is
   * smokestack's own HTTP probe).
   */
  awaitedHealthy: Set<string>;
  /** Images that have a build: and are built when absent (image → how). */
  builds: Map<string, { service: string; build: ComposeBuild }>;
}

export function planCompose(
  scenario: Scenario,
  spec: ComposeStackSpec,
  options: { image?: string; postgresImage?: string; env: Readonly<Record<string, string | undefined>> },
): ComposePlan {
  const file = path.resolve(path.dirname(scenario.file), spec.file);
  const project = loadCompose(file, options.env);
  const shown = path.relative(process.cwd(), file) || file;
  const chosen = servicesToStart(project, spec.service, shown);
  const original = chosen.find((s) => s.name === spec.service)!;
  const scenarioApp = scenario.stack.app;
  const builtAs = (s: ComposeService) => s.image ?? `${projectName(project)}-${s.name}`;
  const appImage = options.image ?? scenarioApp?.image ?? builtAs(original);
  const builds = new Map<string, { service: string; build: ComposeBuild }>();
  let postgres: ComposePlan['postgres'];
  const services = chosen.map((s) => {
    let image = builtAs(s);
    // The migration next to the app runs the image under test too, as it would in the deploy.
    if (s === original || (original.image !== undefined && s.image === original.image)) image = appImage;
    if (s.build && image === builtAs(s) && !builds.has(image))
      builds.set(image, { service: s.name, build: s.build });
    if (s !== original && !postgres && isPostgresService(s)) {
      postgres = { service: s.name, login: postgresLogin(s) };
      if (options.postgresImage && options.postgresImage !== image) {
        postgres.replaced = { from: image, by: options.postgresImage };
        image = options.postgresImage;
      }
    }
    return { ...s, image };
  });
  const app = services.find((s) => s.name === spec.service)!;
  const oneShots = new Set(
    services.flatMap((s) =>
      s.dependsOn.filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service),
    ),
  );
  const awaitedHealthy = new Set(
    services.flatMap((s) =>
      s.dependsOn.filter((d) => d.condition === 'service_healthy').map((d) => d.service),
    ),
  );
  const port = spec.port ?? app.ports[0]?.target ?? app.expose[0] ?? 8000;
  const appSpec: ComposePlan['appSpec'] = {
    ...(scenarioApp ?? { env: {}, ready: { path: '/', withinMs: 60_000 } }),
    service: app.name,
    image: appImage,
    port,
    env: { ...app.env, ...scenarioApp?.env },
    ready: {
      path: spec.readyPath ?? httpHealthPath(app) ?? '/',
      withinMs: scenarioApp?.ready.withinMs ?? 60_000,
    },
  };
  const run = composeAppRun(app, file);
  if (scenarioApp?.command) appSpec.command = scenarioApp.command;
  else if (run.command) Object.assign(appSpec, { command: run.command, commandFrom: run.commandFrom });
  if (run.entrypoint) appSpec.entrypoint = run.entrypoint;
  return {
    project,
    shown,
    services,
    appService: app,
    appSpec,
    ...(postgres ? { postgres } : {}),
    oneShots,
    awaitedHealthy,
    builds,
  };
}

/**
 * The command line a compose service runs, as the server detection reads it: its `command:` and
 * `entrypoint:`, each named where the file writes it (`docker-compose.yml services.web.entrypoint`).
 */
export function composeAppRun(
  service: ComposeService,
  file: string,
): Pick<AppRun, 'command' | 'commandFrom' | 'entrypoint'> {
  const written = (key: string) => `${path.basename(file)} services.${service.name}.${key}`;
  return {
    ...(service.command ? { command: service.command, commandFrom: written('command') } : {}),
    ...(service.entrypoint ? { entrypoint: { argv: service.entrypoint, from: written('entrypoint') } } : {}),
  };
}

/** compose v2's project name: the folder's name, lower case; images it builds are PROJECT-SERVICE. */
function projectName(project: ComposeProject): string {
  return (
    path
      .basename(project.dir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '') || 'compose'
  );
}
