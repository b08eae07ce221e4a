import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.js';
import type { RunResult } from '../../../src/result/types.js';
import { hostileResult, sampleResult } from './fixtures.js';

interface Case {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  testcase?: Case[];
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  }).parse(xml);
  const suites = doc.testsuites.testsuite as Suite[];
  const suite = (suffix: string) => suites.find((s) => s['@_name'].endsWith(suffix))!;
  return { root: doc.testsuites, suites, checks: suite('.checks'), findings: suite('.findings') };
}

const cases = (s: Suite) => s.testcase ?? [];

function passing(): RunResult {
  const r = sampleResult();
  r.status = 'passed';
  r.flagged = [];
  r.flaggedTotal = { approaching: 0, critical: 0, killed: 0 };
  r.serverEvents = r.serverEvents.filter((e) => e.kind === 'worker-boot');
  r.integrity = r.integrity.map((i) => ({ ...i, passed: true }));
  r.findings = [];
  r.checks = undefined;
  r.requests.errors = 0;
  return r;
}

describe('renderJunit', () => {
  it('has one case per check of the verdict, failed ones with their message', () => {
    const r = sampleResult();
    expect(r.checks?.length).toBeGreaterThan(0);
    const { checks } = parse(renderJunit(r));
    expect(cases(checks).map((c) => c['@_name'])).toEqual(r.checks!.map((c) => c.name));
    for (const [i, c] of cases(checks).entries()) {
      const check = r.checks![i]!;
      if (check.passed) expect(c.failure).toBeUndefined();
      else expect(c.failure?.['@_message']).toBe(check.message);
    }
    expect(cases(checks).find((c) => c['@_name'].startsWith('integrity'))?.['@_classname']).toMatch(
      /\.integrity$/,
    );
    expect(cases(checks).find((c) => c['@_name'].startsWith('flow'))?.['@_classname']).toMatch(/\.flows$/);
  });

  it('makes every failing finding a failed case (and warnings passed cases), with the counts in the attributes', () => {
    const r = sampleResult();
    const { root, suites, findings } = parse(renderJunit(r));
    const fails = r.findings.filter((f) => f.severity === 'fail');
    const failed = cases(findings).filter((c) => c.failure);
    expect(failed.map((c) => c['@_name'])).toEqual(fails.map((f) => f.title));
    expect(failed.map((c) => c.failure!['@_type'])).toEqual(fails.map((f) => f.code));
    expect(failed[0]!.failure!['#text']).toMatch(/WORKER TIMEOUT \(pid:9\)[\s\S]*What to do: /);
    const warn = cases(findings).find((c) => c['system-out']?.startsWith('warning (approaching-requests)'));
    expect(warn?.failure).toBeUndefined();
    for (const s of suites) {
      expect(Number(s['@_tests'])).toBe(cases(s).length);
      expect(Number(s['@_failures'])).toBe(cases(s).filter((c) => c.failure).length);
    }
    const total = suites.reduce((n, s) => n + Number(s['@_failures']), 0);
    expect(Number(root['@_failures'])).toBe(total);
  });

  it('derives the checks of an older result without `checks`, so passes still show', () => {
    const { checks, findings } = parse(renderJunit(passing()));
    expect(Number(checks['@_failures'])).toBe(0);
    expect(cases(checks).map((c) => c['@_name'])).toEqual([
      'the run completed',
      'worker timeouts <= 0',
      'no request killed by the server',
      'no request at or above 80% of the server timeout',
      'error rate <= 1%',
      'integrity: every served movie stored completely',
      'integrity: no movie without a title',
      'integrity: every movie the TMDB mock served is stored',
    ]);
    expect(cases(findings)).toHaveLength(0);
  });

  it('derived checks fail on the data: killed requests, error rate, a failed integrity item, an aborted run', () => {
    const r = sampleResult();
    r.checks = undefined;
    r.status = 'aborted';
    r.requests.errors = 40;
    const { checks } = parse(renderJunit(r));
    const failedNames = cases(checks)
      .filter((c) => c.failure)
      .map((c) => c['@_name']);
    expect(failedNames).toEqual(
      expect.arrayContaining([
        'the run completed',
        'worker timeouts <= 0',
        'no request killed by the server',
        'error rate <= 1%',
        'integrity: every served movie stored completely',
      ]),
    );
    expect(failedNames).not.toContain('integrity: no movie without a title');
  });

  it('marks skipped checks as skipped', () => {
    const r = passing();
    r.checks = [
      { name: 'budget browse p99 <= 500 ms', passed: true, skipped: true, message: 'no requests were sent' },
    ];
    const { checks } = parse(renderJunit(r));
    expect(cases(checks)[0]!.skipped?.['@_message']).toBe('no requests were sent');
  });

  it('stays valid XML with hostile text and control characters', () => {
    const xml = renderJunit(hostileResult());
    expect(XMLValidator.validate(xml)).toBe(true);
    for (const ch of ['\u0000', '\u0007', '\u001b']) expect(xml).not.toContain(ch);
    expect(xml).toContain('&lt;/script&gt;&lt;script&gt;window.__xss=5&lt;/script&gt;');
  });
});
