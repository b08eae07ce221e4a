// The starter scenario as a commented YAML file: every value init read says where it was read,
// every guess says it is one. Built as a `yaml` Document (the library the scenario reader uses)
// so quoting is always right and comments sit on the keys they explain. Pure.
import { Document, isMap, isScalar, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { BUDGET_DEFAULTS } from '../scenario/defaults.js';
import type { Starter } from './guess.js';
import type { Readiness } from './readiness.js';

export interface RenderOptions {
  /** How the user called init, for the header: `smokestack init --image localmovies:fixed`. */
  invocation: string;
  /** The file as the user will name it in the next commands. */
  file: string;
  /** `stack: { compose, app }` instead of an image (init --compose). */
  compose?: { file: string; service: string; others: string[]; oneShots: string[] };
}

/** Light browsing: enough requests to see the server answer under a little concurrency, in seconds. */
export const BROWSE = { duration: '10s', connections: 2, rate: '5/s' } as const;

export function renderStarter(s: Starter, ready: Readiness, o: RenderOptions): string {
  const paths = browsePaths(ready);
  const app: Record<string, unknown> = o.compose ? {} : { image: s.image };
  app.port = s.port.value;
  const env = Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, v.value]));
  if (!o.compose && Object.keys(env).length > 0) app.env = env;
  if (s.setup) app.setup = s.setup.value;
  app.ready = { path: ready.path, within: '60s' };
  const stack: Record<string, unknown> = o.compose
    ? { compose: o.compose.file, app: o.compose.service }
    : { app };
  if (!o.compose && s.postgres) stack.postgres = {};
  const doc = new Document({
    name: s.name,
    description: `Starter smoke test of ${o.compose ? `${o.compose.file} (service ${o.compose.service})` : s.image}, written by smokestack init.`,
    stack,
    ...(s.tmdb ? { mocks: { tmdb: { env: s.tmdb.env } } } : {}),
    load: [
      {
        name: 'browse',
        ...BROWSE,
        requests: paths.map((p) => ({ weight: 1, method: 'GET', path: p })),
      },
    ],
    budgets: {
      warnAt: BUDGET_DEFAULTS.warnAt,
      criticalAt: BUDGET_DEFAULTS.criticalAt,
      workerTimeouts: BUDGET_DEFAULTS.workerTimeouts,
      errorRate: BUDGET_DEFAULTS.errorRate,
    },
  });
  doc.commentBefore = [
    ` A starter scenario, written by \`${o.invocation}\`.`,
    ` Check it: smokestack validate ${o.file}   Run it: smokestack run ${o.file}`,
    ' Every value below says where init read it; "guessed" marks what it could not read.',
  ].join('\n');

  const root = doc.contents as YAMLMap;
  const stackMap = mapAt(root, 'stack');
  const appMap = o.compose ? undefined : mapAt(stackMap, 'app');
  if (appMap) {
    comment(appMap, 'port', `${s.port.guessed ? 'guessed: ' : ''}${s.port.from}`);
    if (app.env) {
      comment(
        appMap,
        'env',
        Object.entries(s.env)
          .map(([k, v]) => `${k}: ${v.from}`)
          .join('\n'),
      );
    }
    if (s.setup) {
      flow(appMap, 'setup');
      comment(appMap, 'setup', s.setup.from);
    }
    flow(appMap, 'ready');
    comment(appMap, 'ready', readinessComment(ready));
    comment(
      appMap,
      'image',
      `server: ${s.server}\n(read again on every run; server.timeout in this file would pin it)`,
    );
  }
  if (o.compose) {
    comment(
      stackMap,
      'compose',
      [
        "the team's own compose file is the stack (its services, env, healthchecks and one-shots)",
        ...(s.postgres ? [`Postgres: ${s.postgres}`] : []),
        ...(o.compose.oneShots.length > 0
          ? [`one-shot before the app: ${o.compose.oneShots.join(', ')}`]
          : []),
        `server: ${s.server}`,
        `port ${s.port.value}: ${s.port.from}`,
        `ready: ${readinessComment(ready)}`,
      ].join('\n'),
    );
    comment(
      stackMap,
      'app',
      o.compose.others.length > 0
        ? `the service under test (also candidates: ${o.compose.others.join(', ')})`
        : 'the service under test: it publishes a port and runs the web server',
    );
  }
  if (s.postgres && !o.compose) {
    flow(stackMap, 'postgres');
    comment(
      stackMap,
      'postgres',
      `${s.postgres}: a fresh Postgres per run; the app gets DATABASE_URL and POSTGRES_HOST/PORT/USER/PASSWORD/DB`,
    );
  }
  if (s.tmdb) {
    const mocks = mapAt(root, 'mocks');
    flow(mocks, 'tmdb');
    comment(
      mocks,
      'tmdb',
      `${s.tmdb.env}${s.tmdb.value ? ` = ${s.tmdb.value}` : ''} (${s.tmdb.from}): the built-in TMDB mock answers instead`,
    );
  }
  const load = root.get('load', true) as unknown as { items: YAMLMap[] };
  const phase = load.items[0]!;
  for (const item of (phase.get('requests', true) as unknown as { items: YAMLMap[] }).items) item.flow = true;
  comment(root, 'load', browseComment(ready));
  comment(root, 'budgets', "smokestack's defaults: shares of the server timeout, worker kills, error rate");
  if (s.mockCandidates.length > 0) {
    comment(
      root,
      'budgets',
      [
        'Other external APIs the app may call: mock candidates (an msw handlers module each,',
        'mocks.NAME: { module: ./mocks/NAME.js, env: VARIABLE }; see the README, "Your own mocks"):',
        ...s.mockCandidates.map((c) => `  ${c.env}${c.value ? ` = ${c.value}` : ''} (${c.from})`),
        '',
        "smokestack's defaults: shares of the server timeout, worker kills, error rate",
      ].join('\n'),
    );
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** The readiness path, and / when it answered below 400 (a 4xx counts as an error in the budgets). */
export function browsePaths(ready: Readiness): string[] {
  const paths = [ready.path];
  const root = ready.kind === 'probed' ? ready.answers.find((a) => a.path === '/') : undefined;
  if (ready.path !== '/' && root?.status !== undefined && root.status < 400) paths.push('/');
  return paths;
}

function readinessComment(r: Readiness): string {
  if (r.kind === 'probed' && r.found)
    return `probed: ${r.path} answered ${r.answers.find((a) => a.path === r.path)?.answer} when init started the image (${others(r)})`;
  if (r.kind === 'probed')
    return `guessed: nothing answered 2xx when init started the image (${others(r)}); set the path your app answers 2xx on`;
  if (r.kind === 'read') return `${r.path}: read from ${r.from}`;
  return `guessed: ${r.why}; common ones: ${r.candidates.join(', ')}`;
}

function browseComment(r: Readiness): string {
  const root = r.kind === 'probed' ? r.answers.find((a) => a.path === '/') : undefined;
  const left =
    r.path !== '/' && root && !browsePaths(r).includes('/')
      ? ` (/ left out: it answered ${root.answer}, and a 4xx or 5xx counts as an error)`
      : '';
  return `One light browse phase${left}: add the endpoints your users call`;
}

function others(r: Extract<Readiness, { kind: 'probed' }>): string {
  return r.answers.map((a) => `${a.path} ${a.answer}`).join(', ');
}

function mapAt(map: YAMLMap, key: string): YAMLMap {
  const node = map.get(key, true);
  if (!isMap(node)) throw new Error(`render: ${key} is not a mapping`);
  return node;
}

function pairOf(map: YAMLMap, key: string): Pair<Scalar, unknown> | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Scalar, unknown> | undefined;
}

/** A comment line (or lines) above `key`. */
function comment(map: YAMLMap, key: string, text: string): void {
  const pair = pairOf(map, key);
  if (!pair) return;
  const lines = text.split('\n').map((l) => (l ? ` ${l}` : ''));
  pair.key.commentBefore = lines.join('\n');
}

function flow(map: YAMLMap, key: string): void {
  const node = map.get(key, true) as { flow?: boolean } | undefined;
  if (node && typeof node === 'object') node.flow = true;
}
