// Scenario schema, part 1: what gets started — stack (app, postgres, services), server, mocks.
// Each object is strict (unknown keys are errors) and transforms to the normalised types.
import { z } from 'zod';
import {
  bool,
  command,
  duration,
  env,
  envName,
  expected,
  faults,
  latency,
  noIssues,
  nonEmptyText,
  nonNegativeInt,
  port,
  positiveDuration,
  positiveInt,
  text,
} from './fields.js';
import type {
  AppSpec,
  ComposeStackSpec,
  MockSpec,
  PostgresSpec,
  ProxySpec,
  ServiceSpec,
  StackSpec,
} from './types.js';

const image = () => nonEmptyText('an image reference like localmovies:incident');

const ready = z
  .strictObject({
    path: text('a path starting with /, like /healthz')
      .refine((s) => s.startsWith('/'), { error: expected('a path starting with /, like /healthz') })
      .optional()
      .meta({ description: 'HTTP path that must answer 2xx (default /)' }),
    within: positiveDuration().optional().meta({ description: 'Deadline (default 60s)' }),
  })
  // The path stays unset when not written: with stack.compose it defaults to the service's healthcheck path.
  .transform((r) => compact({ path: r.path, withinMs: r.within ?? 60_000 }));

const SERVICE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const COMPOSE_SERVICE = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const composeService = () =>
  text('a compose service name like web').regex(COMPOSE_SERVICE, {
    error: expected('a compose service name like web'),
  });

const appObject = z.strictObject({
  service: composeService()
    .optional()
    .meta({ description: 'With stack.compose: the service under test (stack.app: web is short for this)' }),
  image: image().optional().meta({ description: 'The image under test; --image overrides it' }),
  port: port().optional().meta({
    description:
      "Container port the server listens on (default 8000; with stack.compose the service's ports target)",
  }),
  env: env().optional().meta({ description: 'Environment of the app, merged with what the harness injects' }),
  command: command().optional().meta({ description: "Overrides the image's CMD" }),
  setup: command().optional().meta({ description: 'Run once in the app container before traffic' }),
  ready: ready.optional(),
});

/** `app: web` (with stack.compose) or the app described as an object. */
const app = z.union([composeService(), appObject], {
  error: expected('a mapping like { image: myapp:1 }, or with stack.compose a service name like web'),
});

type AppInput = z.output<typeof appObject>;

function appSpec(a: AppInput): AppSpec {
  return compact({
    service: a.service,
    image: a.image,
    port: a.port ?? 8000,
    env: a.env ?? {},
    command: a.command,
    setup: a.setup,
    ready: { path: a.ready?.path ?? '/', withinMs: a.ready?.withinMs ?? 60_000 },
  });
}

// The postgres healthcheck command is unquoted: no spaces or shell characters in credentials.
const credential = (what: string) =>
  text(`${what} of letters, digits, _ . or -`).regex(/^[A-Za-z0-9_.-]+$/, {
    error: expected(`${what} of letters, digits, _ . or - (it goes unquoted into a healthcheck)`),
  });

const postgres = z
  .strictObject({
    image: image()
      .optional()
      .meta({ description: 'Default postgres:16-alpine, or SMOKESTACK_POSTGRES_IMAGE' }),
    database: credential('a database name').optional().meta({ description: 'Default app' }),
    user: credential('a user name').optional().meta({ description: 'Default smokestack' }),
    password: credential('a password').optional().meta({ description: 'Default smokestack' }),
  })
  .transform(
    (p): PostgresSpec =>
      compact({
        image: p.image,
        database: p.database ?? 'app',
        user: p.user ?? 'smokestack',
        password: p.password ?? 'smokestack',
      }),
  );

const serviceReady = z
  .strictObject({
    log: text('a regular expression matching a log line')
      .refine(isRegExp, { error: expected('a valid regular expression') })
      .optional()
      .meta({ description: 'A log line (regular expression) that means ready' }),
    port: port().optional().meta({ description: 'A TCP port inside the container that must accept' }),
    within: positiveDuration().optional().meta({ description: 'Deadline (default 60s)' }),
  })
  .transform((r) => compact({ log: r.log, port: r.port, withinMs: r.within ?? 60_000 }));

const service = z.strictObject({
  image: image().meta({ description: 'An image reference, or `app` for the app image' }),
  command: command().optional(),
  env: env().optional(),
  ready: serviceReady.optional(),
  oneShot: bool().optional().meta({
    description: 'true: the service is expected to exit (a migration, a seed job); exit code 0 is no error',
  }),
});

const services = z
  .record(
    z.string().regex(SERVICE_NAME, {
      error: expected('a service name of lower-case letters, digits, - or _ (it becomes the network alias)'),
    }),
    service,
    { error: expected('a mapping of service names to { image: ... }') },
  )
  .superRefine((r, ctx) => {
    for (const name of Object.keys(r)) {
      if (name === 'postgres' || name === 'app')
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `the name ${name} is taken by the stack; choose another`,
        });
    }
  }, noIssues)
  .transform((r): ServiceSpec[] =>
    Object.entries(r).map(([name, s]) =>
      compact({
        name,
        image: s.image,
        command: s.command,
        env: s.env ?? {},
        ready: s.ready,
        oneShot: s.oneShot,
      }),
    ),
  );

const proxy = z
  .strictObject({
    image: image().meta({ description: 'The reverse proxy image (nginx), e.g. smokestack/nginx:1.22' }),
    port: port().optional().meta({ description: 'Container port the proxy listens on (default 80)' }),
    aliases: z
      .array(
        z
          .string()
          .regex(SERVICE_NAME, { error: expected('a network name of lower-case letters, digits, - or _') }),
      )
      .optional()
      .meta({ description: 'More names the proxy reaches the app by, beside `app` (e.g. web)' }),
    files: z
      .record(
        z.string().refine((s) => s.startsWith('/'), { error: expected('an absolute path inside the proxy') }),
        nonEmptyText('a local file path, relative to the scenario'),
        {
          error: expected(
            'a mapping of proxy paths to local files, like { /etc/nginx/conf.d/t.conf: ./t.conf }',
          ),
        },
      )
      .optional()
      .meta({
        description:
          'Files copied into the proxy before it starts: proxy path → local file (relative to the scenario)',
      }),
    ready: z
      .strictObject({ within: positiveDuration().optional().meta({ description: 'Deadline (default 30s)' }) })
      .optional(),
  })
  .transform(
    (p): ProxySpec => ({
      image: p.image,
      port: p.port ?? 80,
      aliases: p.aliases ?? [],
      files: Object.entries(p.files ?? {}).map(([path, from]) => ({ path, from })),
      readyWithinMs: p.ready?.within ?? 30_000,
    }),
  );

export const stackSchema = z
  .strictObject({
    compose: nonEmptyText('the path of a docker-compose.yml, relative to the scenario file').optional().meta({
      description:
        "The team's docker-compose.yml as the stack (relative to the scenario); stack.app names its service under test",
    }),
    app: app.optional().meta({
      description:
        'The app under test: { image, ... }, or with stack.compose its service (web or { service: web, ... })',
    }),
    postgres: postgres
      .optional()
      .meta({ description: 'A PostgreSQL container for the app; {} for the defaults' }),
    services: services.optional().meta({ description: 'Extra containers on the same network, alias = key' }),
    proxy: proxy.optional().meta({
      description: 'A reverse proxy in front of the app: traffic goes to it, it reaches the app as `app`',
    }),
  })
  .superRefine((s, ctx) => {
    const service = typeof s.app === 'string' ? s.app : s.app?.service;
    if (s.compose === undefined && service !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: typeof s.app === 'string' ? ['app'] : ['app', 'service'],
        message: `a service name needs stack.compose (the compose file that has ${service}); without one describe the app as { image: ... }`,
      });
    if (s.compose !== undefined && service === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['app'],
        message: 'with stack.compose, name the service under test: app: web (or app: { service: web, ... })',
      });
  }, noIssues)
  .transform((s): StackSpec => {
    const written: AppInput | undefined = typeof s.app === 'string' ? { service: s.app } : s.app;
    const appOut = written ? appSpec(written) : undefined;
    const compose: ComposeStackSpec | undefined =
      s.compose !== undefined && written?.service !== undefined
        ? compact({
            file: s.compose,
            service: written.service,
            port: written.port,
            readyPath: written.ready?.path,
          })
        : undefined;
    return compact({
      app: appOut,
      compose,
      postgres: s.postgres,
      services: s.services ?? [],
      proxy: s.proxy,
    });
  });

export const serverSchema = z
  .strictObject({
    timeout: duration()
      .optional()
      .meta({ description: "The server's worker timeout; overrides detection (0s = none)" }),
  })
  .transform((s) => compact({ timeoutMs: s.timeout }));

const route = z.strictObject({ latency: latency().optional(), faults: faults().optional() });

const reconcile = z
  .strictObject({
    table: nonEmptyText('a table name like movies_movie'),
    idColumn: nonEmptyText('a column name')
      .optional()
      .meta({ description: 'Column holding the TMDB id (default tmdb_id or id)' }),
    requiredColumns: z.array(nonEmptyText('a column name')).optional(),
  })
  .transform((r) => compact(r));

const mock = z.strictObject({
  module: nonEmptyText('a module path like ./mocks/stripe.js').optional().meta({
    description: 'Your msw handlers (path relative to the scenario file); required except for tmdb',
  }),
  movies: positiveInt().optional().meta({ description: 'TMDB dataset size (default 10000)' }),
  latency: latency().optional(),
  faults: faults().optional(),
  routes: z
    .record(
      z.string().refine((s) => s.startsWith('/'), { error: expected('a route path like /3/movie/:id') }),
      route,
      { error: expected('a mapping of route paths to { latency, faults }') },
    )
    .optional()
    .meta({ description: 'Per-route latency and faults, keyed by a path pattern like /3/movie/:id' }),
  env: envName().optional().meta({ description: "The app's variable that gets this mock's base URL" }),
  port: port().optional().meta({ description: 'Fixed host port (default: any free port)' }),
  seed: nonNegativeInt()
    .optional()
    .meta({ description: 'Seed for latency, faults and the dataset (default 1)' }),
  reconcile: reconcile
    .optional()
    .meta({ description: 'TMDB only: check that every served movie is stored in this table' }),
});

const MOCK_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export const mocksSchema = z
  .record(
    z.string().regex(MOCK_NAME, { error: expected('a mock name of lower-case letters, digits, - or _') }),
    mock,
    { error: expected('a mapping of mock names to their settings, like { tmdb: { movies: 1000 } }') },
  )
  .superRefine((r, ctx) => {
    for (const [name, m] of Object.entries(r)) {
      if (name === 'tmdb') {
        if (m.module !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [name, 'module'],
            message: 'the tmdb mock is built in; call your own mock another name',
          });
        continue;
      }
      if (m.module === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `missing module: (your msw handlers, e.g. module: ./mocks/${name}.js); only tmdb is built in`,
        });
      for (const key of ['movies', 'reconcile'] as const)
        if (m[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [name, key],
            message: 'only the built-in tmdb mock has this setting',
          });
    }
  }, noIssues)
  .transform((r): MockSpec[] =>
    Object.entries(r).map(([name, m]) =>
      compact({
        name,
        kind: name === 'tmdb' ? ('tmdb' as const) : ('handlers' as const),
        module: m.module,
        movies: m.movies,
        latency: m.latency,
        faults: m.faults,
        routes: m.routes && Object.entries(m.routes).map(([path, r]) => compact({ path, ...r })),
        env: m.env,
        port: m.port,
        seed: m.seed ?? 1,
        reconcile: m.reconcile,
      }),
    ),
  );

function isRegExp(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

/** Drops keys whose value is undefined, so normalised objects print cleanly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
