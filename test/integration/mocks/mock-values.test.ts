// What validate knows a mock offers is what a run records, for a real mock server after real calls:
// the known list comes from a trial import in a worker (handler descriptions sent as plain data),
// the tree from the live server's call log, each through the code the CLI uses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { type MockServer, startMocks, startTmdbMock } from '../../../src/mocks/index.js';
import { recordMocks } from '../../../src/run/snapshot.js';
import { probeModules } from '../../../src/scenario/probe-modules.js';
import { knownValues } from '../../../src/templates/known-values.js';
import { renderTemplate } from '../../../src/templates/values.js';

const scenarios = path.resolve('scenarios');
const started: MockServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
});

/** The tree's leaf paths, written here on their own: a status map's codes as one `<status>`. */
function leafPaths(value: unknown, at: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [at.join('.')];
  const inStatus = at.at(-1) === 'status';
  return [
    ...new Set(
      Object.entries(value).flatMap(([k, v]) =>
        inStatus ? [[...at, '<status>'].join('.')] : leafPaths(v, [...at, k]),
      ),
    ),
  ];
}

describe('a mock’s values: what validate knows and what the run records', () => {
  it('are the same paths for the bookshelf books API after calls of each route, a 404 and an unmatched one', async () => {
    const module = './bookshelf/books-api.mjs';
    const probed = await probeModules({ mocks: { books: { module } } }, scenarios);
    expect(probed.problems).toEqual([]);
    const known = knownValues(probed.offers.get('books')!).integrity;

    const [books] = await startMocks([{ name: 'books', kind: 'handlers', module, seed: 1 }], {
      scenarioDir: scenarios,
    });
    started.push(books!);
    const isbn = (books!.values().isbns as string[])[0];
    for (const p of [`/isbn/${isbn}.json`, `/isbn/${isbn}.json`, '/isbn/0000000000.json', '/nowhere'])
      await (await fetch(`${books!.url}${p}`)).arrayBuffer();
    const [record] = recordMocks([books!]);

    expect(leafPaths(record!.values)).toEqual(known);
    const read = (t: string) => renderTemplate(t, { mocks: { books: record!.values } });
    expect(
      read(
        '{{mocks.books.calls}} {{mocks.books.routes.get-isbn-isbn-json.status.200}} {{mocks.books.routes.get-isbn-isbn-json.status.404}} {{mocks.books.routes.unmatched.calls}} {{mocks.books.routes.get-authors-key-json.calls}} {{mocks.books.served.editions}}',
      ),
    ).toEqual({ ok: true, text: '4 2 1 1 0 1' });
  });

  it('are the same paths for the built-in TMDB mock', async () => {
    const tmdb = await startTmdbMock({ movies: 20 });
    started.push(tmdb);
    await (await fetch(`${tmdb.url}/3/movie/popular?api_key=k`)).arrayBuffer();
    await (await fetch(`${tmdb.url}/3/nothing?api_key=k`)).arrayBuffer();
    const [record] = recordMocks([tmdb]);
    expect(leafPaths(record!.values)).toEqual(knownValues({ name: 'tmdb', kind: 'tmdb' }).integrity);
    expect(
      renderTemplate(
        '{{mocks.tmdb.routes.get-3-movie-popular.status.200}} {{mocks.tmdb.routes.any-any.status.404}}',
        { mocks: { tmdb: record!.values } },
      ),
    ).toEqual({ ok: true, text: '1 1' });
  });
});

describe("a module's values export", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-values-'));
  const HANDLERS =
    "import { http } from 'msw';\nexport const handlers = [http.get('/x', () => new Response('x'))];\n";
  const load = async (name: string, text: string) => {
    writeFileSync(path.join(dir, name), HANDLERS + text);
    const mocks = await startMocks([{ name: 'pay', kind: 'handlers', module: `./${name}`, seed: 1 }], {
      scenarioDir: dir,
    });
    started.push(...mocks);
    return mocks[0]!;
  };

  it('is plain data beside the extension’s computed values, read by traffic and integrity alike', async () => {
    const pay = await load(
      'both.mjs',
      'export const values = { ids: [1, 2, 3], pages: 3 };\nlet n = 0;\nexport const extension = { values: () => ({ asked: ++n }) };\n',
    );
    expect(pay.values()).toMatchObject({ ids: [1, 2, 3], pages: 3 });
    const [record] = recordMocks([pay]);
    expect(
      renderTemplate('{{mocks.pay.pages}} {{mocks.pay.calls}}', { mocks: { pay: record!.values } }),
    ).toEqual({
      ok: true,
      text: '3 0',
    });
  });

  it('that is not an object, names a value twice or takes a name every mock has is refused', async () => {
    const refused = async (name: string, text: string) =>
      load(name, text).then(
        () => 'loaded',
        (e: unknown) => (e instanceof UsageError ? e.message : String(e)),
      );
    expect(await refused('list.mjs', 'export const values = [1, 2];\n')).toMatch(
      /list\.mjs exports values that are not an object \(an array\)/,
    );
    expect(
      await refused(
        'twice.mjs',
        'export const values = { ids: [1] };\nexport const extension = { values: () => ({ ids: [2] }) };\n',
      ),
    ).toMatch(/twice\.mjs: ids is both in its values export and in extension\.values\(\)/);
    expect(await refused('status.mjs', 'export const values = { status: 1 };\n')).toMatch(
      /status\.mjs: a value may not be named status/,
    );
  });
});
