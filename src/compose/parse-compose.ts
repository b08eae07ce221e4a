// Reads a docker-compose.yml into a ComposeProject: pure (the caller hands in the texts and the
// env), so unit tests drive it from fixture files. smokestack reads compose files itself rather
// than through Testcontainers' DockerComposeEnvironment: that runs `docker compose` (v2), while
// Debian's packaged compose is v1 (docker-compose 1.29), whose container names it does not even
// recognise — and the stack must be started by smokestack's own machinery anyway (labels, logs,
// teardown, readiness, server detection).
import { parseEnv } from 'node:util';
import { type FieldPath, readDocument } from '../scenario/read-document.js';
import { fail, isMapping, noteUnsupported, type ReadContext } from './context.js';
import { interpolate, RequiredVariableError } from './interpolate.js';
import { readService } from './parse-service.js';
import { noteUnset } from './service-env.js';
import type { ComposeProject, ComposeService } from './types.js';

export interface ComposeSource {
  /** Absolute path of the compose file. */
  file: string;
  /** How messages name it (relative to the working directory, usually). */
  shown: string;
  text: string;
  /** The process env: it wins over `.env`, as in compose. */
  env: Readonly<Record<string, string | undefined>>;
  /** The text of the `.env` file next to the compose file, if there is one. */
  dotenv?: string;
  /** The text of an env_file (absolute path), or undefined when it does not exist. */
  readEnvFile(absolutePath: string): string | undefined;
}

/** Top-level keys that need no warning: `version` is obsolete in compose itself, `name` only names the project. */
const QUIET_TOP_LEVEL = ['version', 'name'];

export function parseCompose(source: ComposeSource): ComposeProject {
  const doc = readDocument(source.text, source.shown, {
    merge: true,
    expected: 'a compose file with services:',
  });
  const dir = source.file.slice(0, source.file.lastIndexOf('/')) || '/';
  const env = { ...(source.dotenv ? parseEnv(source.dotenv) : {}), ...source.env };
  const ctx: ReadContext = {
    shown: source.shown,
    dir,
    lineOf: doc.lineOf,
    env,
    readEnvFile: source.readEnvFile,
    unsupported: [],
    warnings: [],
  };
  const data = interpolateAll(ctx, doc.data, []) as Record<string, unknown>;
  noteUnsupported(ctx, [], data, ['services', 'volumes', ...QUIET_TOP_LEVEL]);

  const volumes = readTopVolumes(ctx, data.volumes);
  if (!isMapping(data.services) || Object.keys(data.services).length === 0)
    fail(
      ctx,
      ['services'],
      'no services: the file describes no containers',
      'add services: { web: { image: ... } }',
    );
  const services = Object.entries(data.services).map(([name, value]) => {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(name))
      fail(ctx, ['services', name], 'not a valid service name', 'use letters, digits, ., _ or -');
    return readService(ctx, name, value, volumes);
  });
  checkDependencies(ctx, services);
  return { file: source.file, dir, services, volumes, unsupported: ctx.unsupported, warnings: ctx.warnings };
}

/** One line naming every key smokestack did not use, or undefined when there is none. */
export function formatUnsupported(
  project: Pick<ComposeProject, 'unsupported'>,
  shown: string,
): string | undefined {
  if (project.unsupported.length === 0) return undefined;
  return `${shown}: not used by smokestack (no effect on the run): ${project.unsupported.join(', ')}`;
}

function interpolateAll(ctx: ReadContext, value: unknown, at: FieldPath): unknown {
  if (typeof value === 'string') {
    try {
      const { value: out, unset } = interpolate(value, ctx.env);
      for (const name of unset) noteUnset(ctx, name);
      return out;
    } catch (error) {
      if (!(error instanceof RequiredVariableError)) throw error;
      return fail(
        ctx,
        at,
        `\${${error.variable}}: ${error.reason}`,
        `set ${error.variable} in the environment or in .env next to the compose file (write $$ for a literal $)`,
      );
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateAll(ctx, v, [...at, i]));
  if (isMapping(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(ctx, v, [...at, k])]));
  return value;
}

function readTopVolumes(ctx: ReadContext, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!isMapping(value))
    fail(ctx, ['volumes'], 'expected a mapping of volume names', 'write volumes: { data: {} }');
  for (const [name, spec] of Object.entries(value)) {
    if (spec !== null && !isMapping(spec))
      fail(ctx, ['volumes', name], 'expected a mapping or nothing', `write ${name}: {}`);
    // driver, external, name...: every volume is a fresh local one for the run.
    if (spec) noteUnsupported(ctx, ['volumes', name], spec, []);
  }
  return Object.keys(value);
}

/** Every depends_on target exists, and no service waits on itself through others. */
function checkDependencies(ctx: ReadContext, services: ComposeService[]): void {
  const names = services.map((s) => s.name);
  for (const s of services) {
    s.dependsOn = s.dependsOn.filter((d) => {
      if (names.includes(d.service)) return true;
      if (d.optional) return false;
      return fail(
        ctx,
        ['services', s.name, 'depends_on'],
        `unknown service ${JSON.stringify(d.service)}`,
        `depend on one of ${names.filter((n) => n !== s.name).join(', ') || '(no other service)'}`,
      );
    });
  }
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      fail(
        ctx,
        ['services', cycle[0] as string, 'depends_on'],
        `a dependency cycle: ${cycle.join(' → ')}`,
        'remove one of these depends_on entries: compose could not start them either',
      );
    }
    state.set(name, 'visiting');
    for (const d of byName.get(name)?.dependsOn ?? []) visit(d.service, [...trail, name]);
    state.set(name, 'done');
  };
  for (const s of services) visit(s.name, []);
}
