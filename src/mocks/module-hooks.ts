// A handlers module may live anywhere (/tmp/x/handlers.mjs, a team's repo with no node_modules):
// it imports `msw`, and it gets smokestack's own. Two Node module hooks (module.register), used for
// the main thread's import and, registered again there, for the worker's trial import
// (./trial-import.ts), so both resolve the same way:
// - resolve: when the importing file cannot resolve `msw` or `msw/…` itself, resolve it from
//   smokestack's own package. A module that can (its own msw installed) keeps its own.
// - load: a `.js` file whose nearest package.json has no "type" (or that has no package.json) and
//   that is written with import/export is loaded as an ES module at once. Node 20 would find that
//   out itself, but only after failing to parse it as CommonJS, and says so on stderr
//   (MODULE_TYPELESS_PACKAGE_JSON) on every run. ES module syntax is detected with es-module-lexer
//   (the lexer Vite uses), never by guessing from text; a file under node_modules is left to Node.
// The hooks run in Node's hooks thread, so they are source text here (a data: URL), not an import
// of this package's files: the same text works from dist/ and from the TypeScript sources tests run.
// `require()` of msw from a CommonJS module is not covered (Node 20's hooks do not see require).
import { register } from 'node:module';

const HOOKS = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let own;
let lexer;
const types = new Map();

export function initialize(data) {
  own = data.parentURL;
}

const OURS = /^msw(\\/|$)/;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !OURS.test(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: own });
  }
}

/** The "type" of the nearest package.json ('' when it has none, or there is none). */
function packageType(dir) {
  if (types.has(dir)) return types.get(dir);
  let type = '';
  try {
    type = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type ?? '';
  } catch (error) {
    const parent = path.dirname(dir);
    if (error?.code === 'ENOENT' && parent !== dir) type = packageType(parent);
  }
  types.set(dir, type);
  return type;
}

function hasModuleSyntax(source) {
  lexer ??= (() => {
    const found = createRequire(own)('es-module-lexer');
    found.initSync();
    return found;
  })();
  try {
    return lexer.parse(source)[3] === true;
  } catch {
    return false;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.js') || url.includes('/node_modules/'))
    return nextLoad(url, context);
  const file = fileURLToPath(url);
  if (packageType(path.dirname(file)) !== '') return nextLoad(url, context);
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return nextLoad(url, context);
  }
  if (!hasModuleSyntax(source)) return nextLoad(url, context);
  return { format: 'module', source, shortCircuit: true };
}
`;

/** What register() takes: the hooks and where `msw` and es-module-lexer are resolved from. */
export const MOCK_MODULE_HOOKS = {
  url: `data:text/javascript,${encodeURIComponent(HOOKS)}`,
  data: { parentURL: import.meta.url },
};

let registered = false;

/** Once per process, before a handlers module is imported in this thread. */
export function registerMockModuleHooks(): void {
  if (registered) return;
  registered = true;
  register(MOCK_MODULE_HOOKS.url, { data: MOCK_MODULE_HOOKS.data });
}
