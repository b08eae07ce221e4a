// "Where T came from" names the real source: a timeout from the scenario's command or env is
// timeoutSource 'scenario' too, and must not be worded as the scenario's server.timeout.
import { describe, expect, it } from 'vitest';
import { setTo, settingOrigin, timeoutOrigin } from '../../../src/verdict/format.js';

describe('timeoutOrigin', () => {
  it('names the setting it was read from, not a server.timeout the scenario does not have', () => {
    expect(
      timeoutOrigin({
        timeoutSource: 'scenario',
        detectedFrom: ['gunicorn (stack.app.command)', 'timeout 30 (stack.app.command: --timeout 30)'],
      }),
    ).toBe("the scenario's stack.app.command: --timeout 30");
    expect(
      timeoutOrigin({ timeoutSource: 'scenario', detectedFrom: ['timeout 20 (scenario server.timeout)'] }),
    ).toBe("the scenario's server.timeout");
    expect(
      timeoutOrigin({
        timeoutSource: 'image',
        detectedFrom: ['timeout 20 (/app/gunicorn.conf.py: timeout = 20)'],
      }),
    ).toBe("the image's /app/gunicorn.conf.py: timeout = 20");
    expect(timeoutOrigin({ timeoutSource: 'flag', detectedFrom: ['timeout 5 (--server-timeout)'] })).toBe(
      '--server-timeout',
    );
  });

  it("a compose file's command line is named as the file's key, and the fix goes there", () => {
    const server = {
      timeoutSource: 'scenario' as const,
      detectedFrom: [
        'gunicorn (docker-compose.yml services.web.entrypoint)',
        'timeout 45 (docker-compose.yml services.web.entrypoint: --timeout 45)',
      ],
    };
    expect(timeoutOrigin(server)).toBe('docker-compose.yml services.web.entrypoint: --timeout 45');
    expect(setTo(settingOrigin(server, 'timeout'), '--timeout', 'timeout', 90)).toBe(
      '--timeout 90 in docker-compose.yml services.web.entrypoint (where the compose file sets it)',
    );
  });
});
