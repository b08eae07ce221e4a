// The flow step fields for form apps: captures of every kind, form bodies, follow, login — how
// they normalise, and the one line a user reads for each mistake (exit 2, nothing started).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

const flow = (steps: string) => `name: forms
flows:
  - name: author
    copies: 2
    steps:
${steps}`;

describe('flow steps for form apps', () => {
  it('normalises captures, a form, follow and a login with its defaults', () => {
    const s = parseScenario(
      flow(`      - login: { path: /accounts/login/, username: "user{{copy}}", password: pw }
      - path: /books/new/
        follow: true
        capture:
          id: job.id
          json: { json: id }
          where: { header: Location }
          csrf: { cookie: csrftoken }
          token: { regex: 'name="csrfmiddlewaretoken" value="([^"]+)"' }
          field: { html: "input[name=csrfmiddlewaretoken]", attr: value }
          title: { html: h1 }
      - method: post
        path: /books/new/
        headers: { X-CSRFToken: "{{cookies.csrftoken}}" }
        form: { title: "Book {{seq}}", pages: 12, draft: false, token: "{{token}}" }
`),
      'forms.yaml',
    );
    const [login, page, post] = s.flows[0]!.steps;
    expect(login).toEqual({
      name: 'login /accounts/login/',
      method: 'POST',
      path: '/accounts/login/',
      headers: {},
      follow: false,
      capture: {},
      login: {
        path: '/accounts/login/',
        username: 'user{{copy}}',
        password: 'pw',
        fields: {},
        sessionCookie: 'sessionid',
        status: [302, 303],
      },
    });
    expect(page?.follow).toBe(true);
    expect(page?.capture).toEqual({
      id: { json: 'job.id' },
      json: { json: 'id' },
      where: { header: 'Location' },
      csrf: { cookie: 'csrftoken' },
      token: { regex: 'name="csrfmiddlewaretoken" value="([^"]+)"' },
      field: { html: 'input[name=csrfmiddlewaretoken]', attr: 'value' },
      title: { html: 'h1' },
    });
    expect(post).toMatchObject({
      method: 'POST',
      follow: false,
      form: { title: 'Book {{seq}}', pages: '12', draft: 'false', token: '{{token}}' },
    });
  });

  it.each([
    [
      'form and body on one step',
      '      - { method: POST, path: /a, body: { x: 1 }, form: { x: "1" } }\n',
      'forms.yaml:6 flows[0].steps[0].form: give body: (JSON or raw text) or form: (form fields), not both',
    ],
    [
      'a login with a path of its own',
      '      - { path: /a, login: { path: /accounts/login/, username: u, password: p } }\n',
      'forms.yaml:6 flows[0].steps[0].path: a login step takes its path from login.path; remove path:',
    ],
    [
      'a login with a capture',
      '      - { capture: { x: id }, login: { path: /accounts/login/, username: u, password: p } }\n',
      'forms.yaml:6 flows[0].steps[0].capture: a login step sends its own requests; capture: belongs on a step of its own',
    ],
    [
      'a step with neither path nor login',
      '      - { method: GET }\n',
      'forms.yaml:6 flows[0].steps[0].path: missing path: (or login:) — the request to send',
    ],
    [
      'a capture named like a template of its own',
      '      - { path: /a, capture: { seq: id } }\n',
      'forms.yaml:6 flows[0].steps[0].capture.seq: {{seq}} is a template of its own; choose another variable name',
    ],
    [
      'a regex that does not compile',
      '      - { path: /a, capture: { t: { regex: \'value="([^"]+"\' } } }\n',
      /^forms\.yaml:6 flows\[0\]\.steps\[0\]\.capture\.t\.regex: not a regular expression: /,
    ],
    [
      'an unknown capture source',
      '      - { path: /a, capture: { t: { body: x } } }\n',
      /^forms\.yaml:6 flows\[0\]\.steps\[0\]\.capture\.t: expected a JSON path like id, or one of \{ json: id \}, \{ header: Location \}/,
    ],
    [
      'a login template naming an uncaptured variable',
      '      - login: { path: /accounts/login/, username: "{{who}}", password: p }\n',
      'forms.yaml:6 flows[0].steps[0].login.username: {{who}}: no earlier step captures who (add capture: { who: FIELD } to a step before)',
    ],
  ])('refuses %s in one line', (_, steps, line) => {
    expect(() => parseScenario(flow(steps), 'forms.yaml')).toThrow(line);
  });

  it('refuses {{copy}} and {{cookies.NAME}} in load phases (no copies, no jar)', () => {
    const text = `name: load-only
load:
  - name: browse
    amount: 10
    requests:
      - { path: "/a/{{copy}}" }
      - { path: /b, headers: { X-CSRFToken: "{{cookies.csrftoken}}" } }
`;
    expect(() => parseScenario(text, 'load.yaml')).toThrow(
      [
        'load.yaml:6 load[0].requests[0].path: {{copy}}: only flow steps have a copy number; use {{seq}} or {{uuid}} in load phases',
        'load.yaml:7 load[0].requests[1].headers.X-CSRFToken: {{cookies.csrftoken}}: load phases have no cookie jar; cookies belong to flow copies',
      ].join('\n'),
    );
  });
});
