// A service's environment as compose builds it: each env_file in order (later files win), then
// `environment:` over them. `environment` is a map (`KEY: value`, `KEY:` = take it from the
// process env) or a list (`KEY=value`, `KEY` = the same). env_file paths are relative to the
// compose file; each is read as a dotenv file (node's util.parseEnv, which is compose's format:
// KEY=value, quotes, # comments) and its values interpolated as compose v2 does.
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { FieldPath } from '../scenario/read-document.js';
import { fail, isMapping, noteUnsupported, type ReadContext, scalarText } from './context.js';
import { interpolate } from './interpolate.js';

export function serviceEnv(
  ctx: ReadContext,
  at: FieldPath,
  envFile: unknown,
  environment: unknown,
): Record<string, string> {
  const env: Record<string, string> = {};
  if (envFile !== undefined) Object.assign(env, readEnvFiles(ctx, [...at, 'env_file'], envFile));
  if (environment !== undefined)
    Object.assign(env, readEnvironment(ctx, [...at, 'environment'], environment));
  return env;
}

function readEnvironment(ctx: ReadContext, at: FieldPath, value: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  const fromProcess = (key: string) => {
    const v = ctx.env[key];
    if (v !== undefined) env[key] = v;
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const text = scalarText(item);
      if (text === undefined)
        fail(
          ctx,
          [...at, i],
          'expected KEY=value',
          'write each entry as KEY=value (or a mapping KEY: value)',
        );
      const eq = text.indexOf('=');
      if (eq < 0) fromProcess(text);
      else env[text.slice(0, eq)] = text.slice(eq + 1);
    });
    return env;
  }
  if (!isMapping(value))
    fail(
      ctx,
      at,
      'expected a mapping KEY: value or a list of KEY=value',
      'write environment: { KEY: value }',
    );
  for (const [key, v] of Object.entries(value)) {
    if (v === null) {
      fromProcess(key);
      continue;
    }
    const text = scalarText(v);
    if (text === undefined)
      fail(ctx, [...at, key], 'expected a string, number or boolean', `quote the value: ${key}: "..."`);
    env[key] = text;
  }
  return env;
}

function readEnvFiles(ctx: ReadContext, at: FieldPath, value: unknown): Record<string, string> {
  const entries = Array.isArray(value) ? value : [value];
  const env: Record<string, string> = {};
  entries.forEach((entry, i) => {
    const where = Array.isArray(value) ? [...at, i] : at;
    let file: string | undefined;
    let required = true;
    if (isMapping(entry)) {
      noteUnsupported(ctx, where, entry, ['path', 'required']);
      file = scalarText(entry.path);
      if (entry.required === false) required = false;
    } else {
      file = scalarText(entry);
    }
    if (!file)
      fail(ctx, where, 'expected a file path', 'write env_file: ./app.env (relative to the compose file)');
    const absolute = path.resolve(ctx.dir, file);
    const text = ctx.readEnvFile(absolute);
    if (text === undefined) {
      if (!required) {
        ctx.warnings.push(`${ctx.shown}: env_file ${file} (optional) does not exist; skipped`);
        return;
      }
      fail(
        ctx,
        where,
        `${file} not found (looked for ${absolute})`,
        'create it, fix the path, or mark it required: false',
      );
    }
    for (const [key, raw] of Object.entries(parseEnv(text))) {
      const { value: v, unset } = interpolate(raw ?? '', { ...ctx.env, ...env });
      for (const name of unset) noteUnset(ctx, name);
      env[key] = v;
    }
  });
  return env;
}

export function noteUnset(ctx: ReadContext, name: string): void {
  const line = `${ctx.shown}: the ${name} variable is not set; using an empty string (as compose does)`;
  if (!ctx.warnings.includes(line)) ctx.warnings.push(line);
}
