// A login's password and secret-named form fields are secrets of the run: masked by value.
import { describe, expect, it } from 'vitest';
import { secretValues } from '../../../src/redact/secret-values.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

describe('secretValues of flow forms and logins', () => {
  it('masks the login password and secret-named form fields, not the username or ordinary fields', () => {
    const scenario = parseScenario(
      `name: forms
flows:
  - name: author
    steps:
      - login: { path: /accounts/login/, username: alice, password: correct-horse, fields: { otp_token: "991-204" } }
      - { method: POST, path: /profile/, form: { display: Alice A, new_password: battery-staple } }
`,
      'forms.yaml',
    );
    const values = secretValues({ ...scenario, file: 'forms.yaml' });
    expect(values).toEqual(expect.arrayContaining(['correct-horse', '991-204', 'battery-staple']));
    expect(values).not.toContain('alice');
    expect(values).not.toContain('Alice A');
  });
});
