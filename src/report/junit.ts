// junit.xml: the verdict as test cases CI dashboards understand, in two suites.
//   <scenario>.checks   — one case per check the verdict made (budgets, integrity items, flows,
//                         worker timeouts): passes show, so a green run lists what was checked.
//   <scenario>.findings — one case per failing finding (failed, with detail and advice) and per
//                         warning (passed, text in system-out): nothing that failed the verdict
//                         is missing from the file, whichever check it belongs to.
import type { RunResult } from '../result/types.js';
import { reportChecks } from './checks.js';
import { xmlAttrs, xmlEscape } from './xml.js';

interface TestCase {
  classname: string;
  name: string;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
  out?: string;
}

export function renderJunit(result: RunResult): string {
  const base = `smokestack.${result.scenario.name}`;
  const checkCases = reportChecks(result).map(
    (c): TestCase => ({
      classname: `${base}.${checkGroup(c.name)}`,
      name: c.name,
      ...(c.skipped ? { skipped: c.message } : {}),
      ...(!c.passed && !c.skipped ? { failure: { message: c.message, type: 'check', body: c.message } } : {}),
      ...(c.passed && !c.skipped && c.message ? { out: c.message } : {}),
    }),
  );
  const findingCases: TestCase[] = [];
  for (const f of result.findings) {
    if (f.severity === 'info') continue;
    const body = [f.detail, f.advice && `What to do: ${f.advice}`].filter(Boolean).join('\n');
    findingCases.push(
      f.severity === 'fail'
        ? { classname: `${base}.findings`, name: f.title, failure: { message: f.title, type: f.code, body } }
        : { classname: `${base}.findings`, name: f.title, out: `warning (${f.code}): ${body}` },
    );
  }
  return document(result, [
    { name: `${base}.checks`, cases: checkCases },
    { name: `${base}.findings`, cases: findingCases },
  ]);
}

function checkGroup(name: string): string {
  if (name.startsWith('integrity')) return 'integrity';
  if (name.startsWith('flow')) return 'flows';
  return 'budgets';
}

function document(result: RunResult, suites: { name: string; cases: TestCase[] }[]): string {
  const seconds = Math.max(0, (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000) || 0;
  const count = (cases: TestCase[], what: 'failure' | 'skipped') => cases.filter((c) => c[what]).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttrs({ name: 'smokestack', tests: all.length, failures: count(all, 'failure'), errors: 0, skipped: count(all, 'skipped'), time: seconds.toFixed(3) })}>`,
  ];
  for (const suite of suites) {
    lines.push(
      `  <testsuite${xmlAttrs({ name: suite.name, tests: suite.cases.length, failures: count(suite.cases, 'failure'), errors: 0, skipped: count(suite.cases, 'skipped'), time: seconds.toFixed(3), timestamp: result.startedAt })}>`,
      '    <properties>',
      ...Object.entries({
        runId: result.runId,
        status: result.status,
        scenarioFile: result.scenario.file,
        image: result.target.image,
        serverTimeoutS: result.target.server.timeoutS,
        timeoutSource: result.target.server.timeoutSource,
      })
        .filter(([, v]) => v !== undefined)
        .map(([name, value]) => `      <property${xmlAttrs({ name, value })}/>`),
      '    </properties>',
    );
    for (const c of suite.cases) lines.push(...testCase(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testCase(c: TestCase): string[] {
  const head = `    <testcase${xmlAttrs({ classname: c.classname, name: c.name, time: '0' })}`;
  if (!c.failure && !c.out && c.skipped === undefined) return [`${head}/>`];
  const lines = [`${head}>`];
  if (c.skipped !== undefined) lines.push(`      <skipped${xmlAttrs({ message: c.skipped })}/>`);
  if (c.failure)
    lines.push(
      `      <failure${xmlAttrs({ message: c.failure.message, type: c.failure.type })}>${xmlEscape(c.failure.body)}</failure>`,
    );
  if (c.out) lines.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}
