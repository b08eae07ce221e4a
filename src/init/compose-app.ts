// Which service of a compose file is the app under test, and what the file itself says about it:
// the container port, a Postgres service, the readiness path of an HTTP healthcheck, the one-shot
// services (migrations) it waits for. Pure, over the project src/compose read.
import {
  type ComposeProject,
  type ComposeService,
  httpHealthPath as healthcheckPath,
  isPostgresService,
} from '../compose/index.js';
import type { Sourced } from './guess.js';

/** Images of what backs an app, never the app: they publish ports too. */
const BACKING =
  /(^|\/)(postgres|postgis|mysql|mariadb|redis|valkey|mongo|rabbitmq|memcached|elasticsearch|opensearch|minio|mailhog|adminer|pgadmin4?)(:|@|$)/;
const WEB_NAMES = ['web', 'app', 'api', 'server', 'backend', 'django', 'site'];

export interface AppPick {
  app: ComposeService;
  /** Other services that could have been it, for the output. */
  others: string[];
  why: string;
}

export function pickAppService(project: ComposeProject): AppPick | undefined {
  const candidates = project.services.filter(
    (s) =>
      s.profiles.length === 0 &&
      (s.ports.length > 0 || s.expose.length > 0) &&
      (s.image !== undefined || s.build !== undefined) &&
      !(s.image && BACKING.test(s.image)),
  );
  const score = (s: ComposeService) =>
    (healthcheckPath(s) ? 4 : 0) + (WEB_NAMES.includes(s.name) ? 2 : 0) + (s.build ? 1 : 0);
  const ranked = [...candidates].sort((a, b) => score(b) - score(a));
  const app = ranked[0];
  if (!app) return undefined;
  const port = app.ports[0];
  const why = [
    port ? `ports ${port.published ? `${port.published}:` : ''}${port.target}` : `expose ${app.expose[0]}`,
    app.build ? 'built from the compose file' : undefined,
    app.image ? `image ${app.image}` : undefined,
    healthcheckPath(app) ? `an HTTP healthcheck` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return { app, others: ranked.slice(1).map((s) => s.name), why };
}

export interface ComposeFacts {
  port: Sourced<number>;
  postgres?: string;
  ready?: { path: string; from: string };
  oneShots: string[];
}

export function composeFacts(project: ComposeProject, app: ComposeService): ComposeFacts {
  const mapped = app.ports[0];
  const port: Sourced<number> = mapped
    ? {
        value: mapped.target,
        from: `ports ${mapped.published ? `${mapped.published}:` : ''}${mapped.target} of service ${app.name}: the container port (the run maps a free loopback port, never ${mapped.published ?? 'a fixed one'})`,
      }
    : { value: app.expose[0]!, from: `expose ${app.expose[0]} of service ${app.name}` };
  const pg = project.services.find((s) => s !== app && isPostgresService(s));
  const path = healthcheckPath(app);
  return {
    port,
    ...(pg ? { postgres: `service ${pg.name}${pg.image ? ` (${pg.image})` : ''} in the compose file` } : {}),
    ...(path ? { ready: { path, from: `the healthcheck of service ${app.name} in the compose file` } } : {}),
    oneShots: app.dependsOn
      .filter((d) => d.condition === 'service_completed_successfully')
      .map((d) => d.service),
  };
}
