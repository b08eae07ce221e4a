// A service's `volumes:` in both forms. Short: `NAME:/path[:ro]` (a named volume, which must be
// declared at the top level, as compose requires), `./dir:/path[:ro]` or `/abs:/path` (a bind
// mount: sources starting with . / or ~), `/path` alone (an anonymous volume). Long:
// `{ type: volume | bind | tmpfs, source, target, read_only }`. What src/stack does with each is in
// docs/compose.md: volumes fresh per run, bind mounts copied in.
import os from 'node:os';
import path from 'node:path';
import type { FieldPath } from '../scenario/read-document.js';
import { fail, fieldPath, isMapping, noteUnsupported, type ReadContext, scalarText } from './context.js';
import type { ComposeMount } from './types.js';

const FIX =
  'write volumes like "data:/var/lib/postgresql/data" or "./init.sql:/docker-entrypoint-initdb.d/init.sql:ro"';

export function readVolumes(
  ctx: ReadContext,
  at: FieldPath,
  value: unknown,
  declared: string[],
): ComposeMount[] {
  if (!Array.isArray(value)) fail(ctx, at, 'expected a list of mounts', FIX);
  return value.flatMap((item, i): ComposeMount[] => {
    const where = [...at, i];
    const mount = isMapping(item) ? longForm(ctx, where, item) : shortForm(ctx, where, scalarText(item));
    if (!mount) return [];
    if (mount.kind === 'volume' && mount.name !== undefined && !declared.includes(mount.name))
      fail(
        ctx,
        where,
        `named volume ${JSON.stringify(mount.name)} is not declared under the top-level volumes:`,
        `add "volumes: { ${mount.name}: {} }" at the top level, or write ./${mount.name} for a folder next to the compose file`,
      );
    return [mount];
  });
}

function shortForm(ctx: ReadContext, at: FieldPath, text: string | undefined): ComposeMount {
  if (!text) fail(ctx, at, 'expected a mount', FIX);
  const [first = '', second, mode] = text.split(':');
  if (second === undefined) return { kind: 'volume', target: checkTarget(ctx, at, first), readOnly: false };
  const readOnly = (mode ?? '').split(',').includes('ro');
  const target = checkTarget(ctx, at, second);
  if (isHostPath(first)) return { kind: 'bind', source: hostPath(ctx, first), target, readOnly };
  return { kind: 'volume', name: first, target, readOnly };
}

function longForm(ctx: ReadContext, at: FieldPath, item: Record<string, unknown>): ComposeMount | undefined {
  noteUnsupported(ctx, at, item, ['type', 'source', 'target', 'read_only']);
  const target = checkTarget(ctx, [...at, 'target'], scalarText(item.target) ?? '');
  const source = scalarText(item.source);
  const readOnly = item.read_only === true;
  switch (item.type) {
    case 'bind':
      if (!source) fail(ctx, [...at, 'source'], 'a bind mount needs a source', FIX);
      return { kind: 'bind', source: hostPath(ctx, source), target, readOnly };
    case 'volume':
      return { kind: 'volume', ...(source ? { name: source } : {}), target, readOnly };
    case 'tmpfs':
      // Scratch space that starts empty: the same as a fresh anonymous volume for a run.
      return { kind: 'volume', target, readOnly };
    default:
      ctx.unsupported.push(`${fieldPath([...at, 'type'])}: ${String(item.type)}`);
      return undefined;
  }
}

function checkTarget(ctx: ReadContext, at: FieldPath, target: string): string {
  if (!target.startsWith('/'))
    fail(ctx, at, `the mount target ${JSON.stringify(target)} is not an absolute path`, FIX);
  return target;
}

function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

function hostPath(ctx: ReadContext, source: string): string {
  if (source === '~' || source.startsWith('~/')) return path.join(os.homedir(), source.slice(1));
  return path.resolve(ctx.dir, source);
}
