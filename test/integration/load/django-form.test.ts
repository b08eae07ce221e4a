// Flows against a real Django app under gunicorn (test/fixtures/django-form): Django's own
// LoginView, CsrfViewMiddleware and sessions, so every cookie, token and redirect is the one a
// browser would meet. Two copies log in as two users, post an HTML form (csrfmiddlewaretoken) and
// a JSON body (X-CSRFToken from the csrftoken cookie); no 403, and no two posts share a {{seq}}
// (the titles are unique in the database: a repeated one would be a 500).
import { fileURLToPath } from 'node:url';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Recorder, type RequestSample } from '../../../src/load/recorder.js';
import { runTraffic } from '../../../src/load/traffic.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

const IMAGE = 'smokestack-test/django-form:dev';
const context = fileURLToPath(new URL('../../fixtures/django-form', import.meta.url));

let app: StartedTestContainer;
let baseUrl: string;
beforeAll(async () => {
  await GenericContainer.fromDockerfile(context).build(IMAGE, { deleteOnExit: false });
  app = await new GenericContainer(IMAGE)
    .withExposedPorts(8000)
    .withLabels({
      'smokestack.test': 'django-form',
      ...(process.env.SMOKESTACK_RUN_TAG ? { 'smokestack.tag': process.env.SMOKESTACK_RUN_TAG } : {}),
    })
    .withWaitStrategy(Wait.forHttp('/healthz', 8000).forStatusCode(200))
    .withStartupTimeout(120_000)
    .start();
  baseUrl = `http://127.0.0.1:${app.getMappedPort(8000)}`;
});
afterAll(async () => {
  await app?.stop();
});

async function drive(yaml: string) {
  const scenario = parseScenario(yaml, 'django-form.yaml');
  const recorder = new Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
  const samples: RequestSample[] = [];
  const record = recorder.record.bind(recorder);
  recorder.record = (s) => {
    samples.push(s);
    record(s);
  };
  const { flows } = await runTraffic({
    baseUrl,
    phases: scenario.load,
    flows: scenario.flows,
    values: {},
    recorder,
    signal: new AbortController().signal,
  });
  return { flows, traffic: recorder.finish(), samples };
}

describe('flows against a Django form app', () => {
  it('logs two copies in, posts a form and a JSON body each, with no 403 and no repeated {{seq}}', async () => {
    const { flows, traffic, samples } = await drive(`name: django-form
flows:
  - name: author
    copies: 2
    repeat: 2
    steps:
      - login: { path: /accounts/login/, username: "user{{copy}}", password: correct-horse }
      - name: note form
        path: /notes/new/
        capture:
          token: { html: "input[name=csrfmiddlewaretoken]", attr: value }
          heading: { html: h1 }
      - name: post note
        method: POST
        path: /notes/new/
        form: { title: "form {{seq}}", csrfmiddlewaretoken: "{{token}}" }
        expect: { status: 302 }
        capture: { next: { header: Location } }
      - name: post json
        method: POST
        path: /api/notes/
        headers: { X-CSRFToken: "{{cookies.csrftoken}}" }
        body: { title: "json {{seq}} {{uuid}}" }
        expect: { status: 201 }
        capture: { owner: owner }
      - { name: my notes, path: "/notes/?came-from={{next}}", expect: { status: 200 } }
`);
    expect(flows.map((f) => [f.copy, f.iteration, f.ok, f.message])).toEqual([
      [1, 1, true, undefined],
      [1, 2, true, undefined],
      [2, 1, true, undefined],
      [2, 2, true, undefined],
    ]);
    expect(traffic.requests.errors).toBe(0);
    expect(samples.filter((s) => s.status === 403)).toEqual([]);
    const byName = Object.fromEntries(traffic.requests.byEndpoint.map((e) => [e.name, e]));
    expect(byName['login /accounts/login/ (form)']?.statusCodes).toEqual({ 200: 4 });
    expect(byName['login /accounts/login/']?.statusCodes).toEqual({ 302: 4 });
    expect(byName['post note']?.statusCodes).toEqual({ 302: 4 });
    expect(byName['post json']?.statusCodes).toEqual({ 201: 4 });
    // The Location captured from the form's 302, sent on as a query.
    expect(samples.filter((s) => s.endpoint === 'my notes').map((s) => s.path)).toContain(
      '/notes/?came-from=/notes/',
    );

    // What the database holds: 8 notes, 4 a user, titles all different (unique column).
    const res = await fetchNotes();
    const titles = res.map((n) => n.title);
    expect(new Set(titles).size).toBe(8);
    expect(res.filter((n) => n.owner === 'user1')).toHaveLength(4);
    expect(res.filter((n) => n.owner === 'user2')).toHaveLength(4);
    const seqs = titles.map((t) => Number(/^\w+ (\d+)/.exec(t)?.[1]));
    expect(new Set(seqs).size).toBe(8);
  });

  it('fails a login with a wrong password at the submit step, and a login at a page with no form at its GET', async () => {
    const { flows } = await drive(`name: wrong
flows:
  - name: intruder
    steps:
      - login: { path: /accounts/login/, username: user1, password: wrong-horse }
      - { name: never, path: /notes/ }
  - name: lost
    steps:
      - login: { path: /healthz, username: user1, password: correct-horse }
`);
    expect(flows).toEqual([
      {
        flow: 'intruder',
        copy: 1,
        iteration: 1,
        ok: false,
        failedStep: 'login /accounts/login/',
        message:
          'login at /accounts/login/ did not succeed (the form came back: wrong username or password?)',
      },
      {
        flow: 'lost',
        copy: 1,
        iteration: 1,
        ok: false,
        failedStep: 'login /healthz (form)',
        message:
          'login at /healthz: the page has no csrfmiddlewaretoken field (is it the login form?) (response: ok)',
      },
    ]);
  });

  it('follows redirects only when a step says so, keeping cookies; a capture that finds nothing names what it looked for', async () => {
    const { flows, samples } = await drive(`name: anonymous
flows:
  - name: visitor
    steps:
      - { name: bounced, path: /notes/new/, expect: { status: 302 }, capture: { to: { header: location } } }
      - name: followed
        path: /notes/new/
        follow: true
        expect: { status: 200 }
        capture: { token: { regex: 'name="csrfmiddlewaretoken" value="([^"]+)"' } }
      - { name: no such field, path: /accounts/login/, capture: { x: { html: "input[name=missing]", attr: value } } }
`);
    expect(samples.map((s) => [s.endpoint, s.path, s.status])).toEqual([
      ['bounced', '/notes/new/', 302],
      ['followed', '/notes/new/', 302],
      ['followed', '/accounts/login/?next=/notes/new/', 200],
      ['no such field', '/accounts/login/', 200],
    ]);
    expect(flows[0]).toMatchObject({
      ok: false,
      failedStep: 'no such field',
      message: expect.stringMatching(
        /^capture x \(\{ html: "input\[name=missing\]", attr: value \}\): no element in the body matches input\[name=missing\] \(response: /,
      ),
    });
  });
});

/** Every note, read as user3 with a session of its own (a plain login outside the flows under test). */
async function fetchNotes(): Promise<{ title: string; owner: string; via: string }[]> {
  const form = await fetch(`${baseUrl}/accounts/login/`);
  const csrf = /csrftoken=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await fetch(`${baseUrl}/accounts/login/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `csrftoken=${csrf}` },
    body: new URLSearchParams({ username: 'user3', password: 'correct-horse', csrfmiddlewaretoken: token }),
  });
  const session = /sessionid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const res = await fetch(`${baseUrl}/api/notes/`, { headers: { cookie: `sessionid=${session}` } });
  return ((await res.json()) as { notes: { title: string; owner: string; via: string }[] }).notes;
}
