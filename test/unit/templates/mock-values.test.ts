import { describe, expect, it } from 'vitest';
import { knownValues, offers, showKnown } from '../../../src/templates/known-values.js';
import { mockValuePaths, mockValues } from '../../../src/templates/mock-values.js';
import { renderTemplate } from '../../../src/templates/values.js';

const byRoute: { key: string; calls: number; statusCodes: Record<string, number> }[] = [
  { key: 'get-isbn-isbn-json', calls: 5, statusCodes: { 200: 4, 404: 1 } },
  { key: 'get-authors-key-json', calls: 3, statusCodes: { 200: 2, reset: 1 } },
  { key: 'unmatched', calls: 1, statusCodes: { 404: 1 } },
];
const tree = mockValues({
  values: { isbns: ['9780140000009'], pages: 3 },
  served: { editions: 4 },
  calls: 9,
  byRoute,
  routes: ['get-isbn-isbn-json', 'get-authors-key-json', 'post-books'],
});
const read = (template: string) => renderTemplate(template, { mocks: { books: tree } });

describe('a mock’s values for integrity templates', () => {
  it('count calls in all, by status and by route, with the mock’s values and served counts', () => {
    expect(read('{{mocks.books.calls}} {{mocks.books.status.200}} {{mocks.books.status.404}}')).toEqual({
      ok: true,
      text: '9 6 2',
    });
    expect(
      read(
        '{{mocks.books.routes.get-isbn-isbn-json.calls}}/{{mocks.books.routes.get-isbn-isbn-json.status.200}}',
      ),
    ).toEqual({ ok: true, text: '5/4' });
    expect(
      read('{{mocks.books.status.reset}} {{mocks.books.served.editions}} {{mocks.books.pages}}'),
    ).toEqual({
      ok: true,
      text: '1 4 3',
    });
  });

  it('read 0 for a status no call ended with and for a known route nobody called', () => {
    expect(read('{{mocks.books.status.503}} {{mocks.books.status.hang}}')).toEqual({ ok: true, text: '0 0' });
    expect(
      read('{{mocks.books.routes.post-books.calls}} {{mocks.books.routes.post-books.status.201}}'),
    ).toEqual({
      ok: true,
      text: '0 0',
    });
  });

  it('name the known routes when one is unknown', () => {
    const r = read('{{mocks.books.routes.get-isbn.calls}}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(
      'no value get-isbn under mocks.books.routes (known: mocks.books.routes.get-isbn-isbn-json, mocks.books.routes.get-authors-key-json, mocks.books.routes.post-books, mocks.books.routes.unmatched)',
    );
  });

  it('validate knows exactly the paths the run’s tree holds (one definition, no drift)', () => {
    const known = mockValuePaths({
      values: ['isbns', 'pages'],
      served: ['editions'],
      routes: ['get-isbn-isbn-json', 'get-authors-key-json', 'post-books'],
    });
    expect(known).toEqual([
      'isbns',
      'pages',
      'served.editions',
      'calls',
      'status.<status>',
      'routes.get-isbn-isbn-json.calls',
      'routes.get-isbn-isbn-json.status.<status>',
      'routes.get-authors-key-json.calls',
      'routes.get-authors-key-json.status.<status>',
      'routes.post-books.calls',
      'routes.post-books.status.<status>',
      'routes.unmatched.calls',
      'routes.unmatched.status.<status>',
    ]);
    for (const path of ['calls', 'status.200', 'status.pending', 'routes.post-books.status.599'])
      expect(offers(known, path)).toBe(true);
    for (const path of ['status.600', 'status.ok', 'routes.post-book.calls', 'routes.post-books', 'status'])
      expect(offers(known, path)).toBe(false);
  });

  it('list what exists in words: each route’s paths once, ROUTE and CODE spelled out', () => {
    const known = knownValues({
      name: 'books',
      kind: 'handlers',
      values: ['isbns'],
      served: [],
      routes: ['get-x'],
    });
    expect(showKnown('mocks.books.', known.integrity ?? [])).toBe(
      '{{mocks.books.isbns}}, {{mocks.books.calls}}, {{mocks.books.status.CODE}}, {{mocks.books.routes.ROUTE.calls}}, {{mocks.books.routes.ROUTE.status.CODE}}; ROUTE: get-x, unmatched; CODE: an HTTP status like 200 or 503, or reset, hang, closed, stopped, pending',
    );
  });
});
