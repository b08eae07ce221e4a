// What validate knows a mock offers is what a run records, for a real mock server after real calls:
// the known list comes from a trial import in a worker (handler descriptions sent as plain data),
// the tree from the live server's call log, each through the code the CLI uses.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
