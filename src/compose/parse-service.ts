// One entry under `services:` read into a ComposeService. The keys it knows are the subset in
// docs/compose.md; every other key is recorded for the one "not used" warning.
import path from 'node:path';
import type { FieldPath } from '../scenario/read-document.js';
import { fail, isMapping, noteUnsupported, type ReadContext, scalarText } from './context.js';
import { serviceEnv } from './service-env.js';
import { readHealthcheck } from './service-health.js';
import { readExpose, readPorts } from './service-ports.js';
import { readVolumes } from './service-volumes.js';
import { splitCommand } from './split-command.js';
import type { ComposeBuild, ComposeDependency, ComposeService, DependsCondition } from './types.js';

export const SERVICE_KEYS = [
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'depends_on',
  'healthcheck',
  'volumes',
  'profiles',
] as const;

const CONDITIONS: readonly DependsCondition[] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
];

export function readService(
  ctx: ReadContext,
  name: string,
  value: unknown,
  declaredVolumes: string[],
): ComposeService {
  const at: FieldPath = ['services', name];
  if (!isMapping(value))
    fail(ctx, at, 'expected a mapping with image: or build:', `write ${name}: { image: postgres:16-alpine }`);
  noteUnsupported(ctx, at, value, SERVICE_KEYS);
  const image = value.image === undefined ? undefined : scalarText(value.image);
  if (value.image !== undefined && !image)
    fail(ctx, [...at, 'image'], 'expected an image reference', 'write image: postgres:16-alpine');
  const build = value.build === undefined ? undefined : readBuild(ctx, [...at, 'build'], value.build);
  if (!image && !build)
    fail(
      ctx,
      at,
      'has neither image: nor build:',
      'give it an image (image: NAME:TAG) or a build context (build: .)',
    );
  const command = value.command == null ? undefined : words(ctx, [...at, 'command'], value.command);
  const entrypoint =
    value.entrypoint == null ? undefined : words(ctx, [...at, 'entrypoint'], value.entrypoint);
  const profiles = value.profiles === undefined ? [] : stringList(ctx, [...at, 'profiles'], value.profiles);
  return {
    name,
    ...(image ? { image } : {}),
    ...(build ? { build } : {}),
    ...(command ? { command } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    env: serviceEnv(ctx, at, value.env_file, value.environment),
    ports: value.ports === undefined ? [] : readPorts(ctx, [...at, 'ports'], value.ports),
    expose: value.expose === undefined ? [] : readExpose(ctx, [...at, 'expose'], value.expose),
    dependsOn:
      value.depends_on === undefined ? [] : readDependsOn(ctx, [...at, 'depends_on'], value.depends_on),
    ...(value.healthcheck !== undefined
      ? { healthcheck: readHealthcheck(ctx, [...at, 'healthcheck'], value.healthcheck) }
      : {}),
    volumes:
      value.volumes === undefined ? [] : readVolumes(ctx, [...at, 'volumes'], value.volumes, declaredVolumes),
    profiles,
  };
}

function readBuild(ctx: ReadContext, at: FieldPath, value: unknown): ComposeBuild {
  const fix = 'write build: . or build: { context: ., dockerfile: Dockerfile, args: { KEY: value } }';
  if (typeof value === 'string')
    return { context: path.resolve(ctx.dir, value), dockerfile: 'Dockerfile', args: {} };
  if (!isMapping(value)) fail(ctx, at, 'expected a folder or a mapping', fix);
  noteUnsupported(ctx, at, value, ['context', 'dockerfile', 'args', 'target']);
  const context = scalarText(value.context ?? '.');
  if (!context) fail(ctx, [...at, 'context'], 'expected a folder', fix);
  const args: Record<string, string> = {};
  if (Array.isArray(value.args)) {
    for (const item of value.args) {
      const text = scalarText(item) ?? '';
      const eq = text.indexOf('=');
      if (eq > 0) args[text.slice(0, eq)] = text.slice(eq + 1);
      else if (ctx.env[text] !== undefined) args[text] = ctx.env[text] as string;
    }
  } else if (isMapping(value.args)) {
    for (const [k, v] of Object.entries(value.args)) {
      const text = v === null ? ctx.env[k] : scalarText(v);
      if (text !== undefined) args[k] = text;
    }
  } else if (value.args !== undefined) {
    fail(ctx, [...at, 'args'], 'expected a mapping or a list of KEY=value', fix);
  }
  const dockerfile = scalarText(value.dockerfile ?? 'Dockerfile');
  if (!dockerfile) fail(ctx, [...at, 'dockerfile'], 'expected a file name', fix);
  const target = scalarText(value.target);
  return { context: path.resolve(ctx.dir, context), dockerfile, args, ...(target ? { target } : {}) };
}

function words(ctx: ReadContext, at: FieldPath, value: unknown): string[] {
  if (typeof value === 'string') {
    try {
      return splitCommand(value);
    } catch (error) {
      return fail(ctx, at, (error as Error).message, 'close the quote, or write the command as a list');
    }
  }
  return stringList(ctx, at, value);
}

function stringList(ctx: ReadContext, at: FieldPath, value: unknown): string[] {
  if (!Array.isArray(value)) fail(ctx, at, 'expected a list of strings', 'write it as a list: [a, b]');
  return value.map(
    (item, i) => scalarText(item) ?? fail(ctx, [...at, i], 'expected a string', 'quote it: "..."'),
  );
}

function readDependsOn(ctx: ReadContext, at: FieldPath, value: unknown): ComposeDependency[] {
  const fix = 'write depends_on: [db] or depends_on: { db: { condition: service_healthy } }';
  if (Array.isArray(value))
    return stringList(ctx, at, value).map((service) => ({ service, condition: 'service_started' }));
  if (!isMapping(value)) fail(ctx, at, 'expected a list of services or a mapping', fix);
  return Object.entries(value).map(([service, spec]) => {
    if (spec === null) return { service, condition: 'service_started' as const };
    if (!isMapping(spec)) fail(ctx, [...at, service], 'expected { condition: ... }', fix);
    // `restart` is about restarting this service when the dependency is: nothing restarts in a run.
    noteUnsupported(ctx, [...at, service], spec, ['condition', 'required']);
    const condition = (spec.condition ?? 'service_started') as DependsCondition;
    if (!CONDITIONS.includes(condition))
      fail(
        ctx,
        [...at, service, 'condition'],
        `${JSON.stringify(spec.condition)} is not a condition`,
        `use one of ${CONDITIONS.join(', ')}`,
      );
    return { service, condition, ...(spec.required === false ? { optional: true as const } : {}) };
  });
}
