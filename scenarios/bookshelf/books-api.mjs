// The books lookup API the bookshelf sample calls (Open Library's shape), as msw handlers for
// `mocks.books.module`:
//   GET /isbn/{isbn}.json     an edition: title, subtitle, authors [{key}], publishers, publish_date…
//   GET /authors/{key}.json   an author: name, birth_date…
// Unknown ISBNs and keys get Open Library's own 404 body. The dataset is fixed (seeded, built at
// import): 300 editions by 120 authors, so a scenario can name ISBNs (its first ones are listed in
// README.md) and `{{pick books.isbns}}` draws from them. Latency and faults are the scenario's.
//
// Exported to templates through `extension` (the mock server's extension point):
//   values: isbns (the whole dataset), authors (author keys), lookedUp (ISBNs whose edition reached
//           the app in full so far: read when traffic starts, that is what setup added)
//   served: editions, authors (distinct records delivered in full: `{{mocks.books.served.editions}}`)
import { HttpResponse, http } from 'msw';

const EDITIONS = 300;
const AUTHORS = 120;

// mulberry32: a tiny seeded generator, so every run (and both imports of this module) see one dataset.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = generator(14);
const one = (list) => list[Math.floor(rnd() * list.length)];
const between = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

const FIRST = [
  'Ada',
  'Olu',
  'Mira',
  'Jonas',
  'Priya',
  'Tomás',
  'Hana',
  'Felix',
  'Ines',
  'Kwame',
  'Lena',
  'Ravi',
  'Sofia',
  'Emeka',
  'Yuki',
  'Marta',
  'Noor',
  'Pavel',
  'Clara',
  'Idris',
];
const LAST = [
  'Okafor',
  'Lindqvist',
  'Haddad',
  'Moreau',
  'Tanaka',
  'Novak',
  'Achebe',
  'Ferreira',
  'Kowalski',
  'Mensah',
  'Duarte',
  'Brennan',
  'Sato',
  'Varga',
  'Castellanos',
  'Adeyemi',
  'Whitfield',
  'Rahman',
  'Petrov',
  'Ishikawa',
];
const ADJ = [
  'Silent',
  'Broken',
  'Northern',
  'Last',
  'Hidden',
  'Burning',
  'Quiet',
  'Long',
  'Paper',
  'Glass',
  'Distant',
  'Winter',
  'Salt',
  'Iron',
  'Golden',
];
const NOUN = [
  'River',
  'Garden',
  'Archive',
  'Harbour',
  'Orchard',
  'Lighthouse',
  'Map',
  'Kingdom',
  'Library',
  'Machine',
  'Season',
  'Bridge',
  'Island',
  'Mountain',
  'Letter',
];
const SUBTITLE = [
  'A Novel',
  'Stories',
  'A Memoir',
  'A History of the Modern World',
  'Essays on Reading and Time',
  'Poems 1990-2010',
  'A Field Guide',
];
const PUBLISHERS = [
  'Penguin Books',
  'Vintage',
  'Faber & Faber',
  'HarperCollins',
  'Picador',
  'Granta Books',
  'Oxford University Press',
  'Bloomsbury Publishing',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const isbn13Check = (first12) =>
  String((10 - ([...first12].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0) % 10)) % 10);
const isbn10Check = (first9) => {
  const r = (11 - ([...first9].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11)) % 11;
  return r === 10 ? 'X' : String(r);
};

const authors = new Map();
for (let i = 0; i < AUTHORS; i++) {
  const key = `OL${23000 + i * 7}A`;
  const name = `${one(FIRST)} ${one(LAST)}`;
  authors.set(key, {
    key: `/authors/${key}`,
    name,
    personal_name: name,
    birth_date: `${between(1, 28)} ${one(MONTHS)} ${between(1920, 1990)}`,
    type: { key: '/type/author' },
    revision: between(1, 9),
  });
}
const authorKeys = [...authors.keys()];

const editions = new Map();
for (let i = 0; i < EDITIONS; i++) {
  const core = `9780${String(140000000 + i * 3271).slice(0, 8)}`;
  const isbn13 = core + isbn13Check(core);
  const isbn10 = core.slice(3) + isbn10Check(core.slice(3));
  const year = between(1950, 2024);
  // Open Library writes publish_date however the cataloguer did: a year, a month and year, a full date.
  const publishDate = one([
    `${year}`,
    `${one(MONTHS)} ${year}`,
    `${one(MONTHS).slice(0, 3)} ${between(1, 28)}, ${year}`,
  ]);
  const writers = Array.from({ length: one([1, 1, 1, 2, 2, 3]) }, () => one(authorKeys));
  const record = {
    key: `/books/OL${7000000 + i * 13}M`,
    title: `The ${one(ADJ)} ${one(NOUN)}${rnd() < 0.3 ? ` of the ${one(ADJ)} ${one(NOUN)}` : ''}`,
    authors: [...new Set(writers)].map((key) => ({ key: `/authors/${key}` })),
    publishers: [one(PUBLISHERS)],
    publish_date: publishDate,
    number_of_pages: between(96, 720),
    isbn_10: [isbn10],
    isbn_13: [isbn13],
    works: [{ key: `/works/OL${45000 + i * 11}W` }],
    languages: [{ key: '/languages/eng' }],
    type: { key: '/type/edition' },
    revision: between(1, 20),
  };
  if (rnd() < 0.35) record.subtitle = one(SUBTITLE);
  editions.set(isbn13, record);
  editions.set(isbn10, record); // Open Library answers either form
}
const isbns = [...new Set([...editions.values()].map((e) => e.isbn_13[0]))];

const notFound = (key) => HttpResponse.json({ error: 'notfound', key }, { status: 404 });

// What each answer delivers, claimed once the app has read it in full (see onAnswer below).
const pending = new WeakMap();
const deliveredEditions = new Set();
const deliveredAuthors = new Set();

export const handlers = [
  http.get('/isbn/:isbn.json', ({ params }) => {
    const record = editions.get(String(params.isbn));
    if (!record) return notFound(`/isbn/${params.isbn}`);
    const response = HttpResponse.json(record);
    pending.set(response, () => deliveredEditions.add(record.isbn_13[0]));
    return response;
  }),
  http.get('/authors/:key.json', ({ params }) => {
    const record = authors.get(String(params.key));
    if (!record) return notFound(`/authors/${params.key}`);
    const response = HttpResponse.json(record);
    pending.set(response, () => deliveredAuthors.add(record.key));
    return response;
  }),
];

export const extension = {
  values: () => ({ isbns, authors: authorKeys, lookedUp: [...deliveredEditions] }),
  served: () => ({ editions: deliveredEditions.size, authors: deliveredAuthors.size }),
  onAnswer: (response) => pending.get(response),
};
