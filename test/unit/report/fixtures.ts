// Results for the report tests: the realistic incident fixture, and the same run with hostile
// text everywhere a user or a server controls it (paths, endpoint names, log lines, database
// values, env), to prove every report prints it as text.
import { readFileSync } from 'node:fs';
import { parseResult } from '../../../src/result/result-schema.js';
import type { RunResult } from '../../../src/result/types.js';

const SAMPLE = new URL('../../fixtures/results/sample-result.json', import.meta.url);

export function sampleResult(): RunResult {
  return parseResult(JSON.parse(readFileSync(SAMPLE, 'utf8')), 'sample-result.json');
}

export const XSS = {
  path: '/api/import?q=<script>window.__xss=1</script>',
  endpoint: 'import "><svg onload=window.__xss=2>',
  log: '[CRITICAL] WORKER TIMEOUT (pid:9) </script><img src=x onerror="window.__xss=3"> <!--',
  dbValue: '<b>580</b> & </td></tr></table><script>window.__xss=4</script>',
  finding: 'line one\u2028line two </script><script>window.__xss=5</script>',
  description: 'desc <iframe src="https://example.invalid/"></iframe>',
  control: 'bell\u0007 esc\u001b[31m nul\u0000 surrogate\ud800 end',
} as const;

export const SECRETS = {
  apiKey: 'sk-live-abcdef123456',
  dbPassword: 'hunter2-secret',
} as const;

export function hostileResult(): RunResult {
  const r = sampleResult();
  r.scenario.description = XSS.description;
  const killed = r.flagged.find((f) => f.level === 'killed')!;
  killed.path = XSS.path;
  killed.endpoint = XSS.endpoint;
  killed.serverEvent = { ...killed.serverEvent!, line: `${killed.serverEvent!.line} ${XSS.log}` };
  r.requests.byEndpoint.push({ ...r.requests.byEndpoint[0]!, name: XSS.endpoint, path: XSS.path });
  r.serverEvents.push({ at: r.serverEvents[0]!.at, kind: 'error', line: `${XSS.log} ${XSS.control}` });
  r.integrity[0]!.actual = XSS.dbValue;
  r.findings.push({
    severity: 'fail',
    code: 'hostile',
    title: `hostile ${XSS.control}`,
    detail: XSS.finding,
  });
  r.meta = {
    ...r.meta,
    env: {
      TMDB_API_KEY: SECRETS.apiKey,
      DATABASE_URL: `postgres://app:${SECRETS.dbPassword}@postgres:5432/movies`,
      DEBUG: 'false',
    },
    error: `connect to postgres://app:${SECRETS.dbPassword}@db:5432/x failed`,
  };
  return r;
}
