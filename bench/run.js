#!/usr/bin/env node
// `npm run bench`: runs every benchmark (compiled into dist-bench/ by `tsc -p tsconfig.bench.json`; benchmarks are not in the published package), writes
// bench/results.json with the keys the issues fixed, and prints a table. Figures are ratios
// measured side by side in one run: absolute numbers on a shared 2-core machine are noise.
//   node --expose-gc bench/run.js [mock] [load] [recorder] [report] [stack] [compare] [sweep]   (default: all but stack and sweep)
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benches = {
  mock: {
    file: 'mock.js',
    fn: 'benchMock',
    goals: { throughputRatio: '>= 0.5', delayErrorP99Ms: '<= 5', rssMbAt10kHanging: '<= 300' },
  },
  loadOverhead: { file: 'load.js', fn: 'benchLoadOverhead', goals: { ratio: '>= 0.95' } },
  recorder: { file: 'recorder.js', fn: 'benchRecorder', goals: { rssGrowth1Mvs100k: '<= 1.3' } },
  report: { file: 'report.js', fn: 'benchReport', goals: { growth1Mvs100k: '<= 1.3' } },
  stack: { file: 'stack.js', fn: 'benchStackStartup', goals: { ratio: '<= 1.25' } },
  compare: { file: 'compare.js', fn: 'benchCompare', goals: { falseAlarms: '<= 0.05', detected2x: '>= 1' } },
  // Real containers, a few minutes: asked for by name (`npm run bench sweep`), like stack.
  sweep: { file: 'sweep.js', fn: 'benchSweep', goals: { 'wrong3AtP0.1': '<= 0.02', reuseGain: '>= 1.5' } },
};
const aliases = { load: 'loadOverhead' };
const asked = process.argv.slice(2).map((a) => aliases[a] ?? a);
const selected =
  asked.length > 0 ? asked : Object.keys(benches).filter((k) => k !== 'stack' && k !== 'sweep');

if (!existsSync(`${root}dist-bench/bench`)) {
  console.error('bench: dist-bench/ is missing; run `npm run bench` (it compiles them first)');
  process.exit(2);
}
// The compiled src/ sits one level deeper than in dist/: src/version.ts reads ../package.json.
await copyFile(`${root}package.json`, `${root}dist-bench/package.json`);
const resultsFile = `${root}bench/results.json`;
const results = existsSync(resultsFile) ? JSON.parse(await readFile(resultsFile, 'utf8')) : {};
const rows = [];
let failed = false;
for (const key of selected) {
  const bench = benches[key];
  if (!bench) {
    console.error(`bench: unknown benchmark ${key} (known: ${Object.keys(benches).join(', ')})`);
    process.exit(2);
  }
  process.stderr.write(`bench: ${key} ...\n`);
  try {
    const mod = await import(`${root}dist-bench/bench/${bench.file}`);
    const figures = await mod[bench.fn]();
    results[key] = { ...figures, measuredAt: new Date().toISOString() };
    for (const [name, value] of Object.entries(figures)) {
      const goal = bench.goals[name] ?? '';
      rows.push({ bench: key, figure: name, value, goal, met: goal ? meets(value, goal) : '' });
    }
  } catch (error) {
    failed = true;
    rows.push({ bench: key, figure: 'error', value: String(error?.message ?? error), goal: '', met: 'no' });
  }
}
results.machine = { cores: (await import('node:os')).cpus().length, node: process.version };
await mkdir(`${root}bench`, { recursive: true });
await writeFile(`${resultsFile}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
await rename(`${resultsFile}.tmp`, resultsFile);
console.table(
  rows.map((r) => ({ ...r, value: typeof r.value === 'number' ? Number(r.value.toFixed(3)) : r.value })),
);
console.log(`written: bench/results.json`);
process.exitCode = failed ? 1 : 0;

function meets(value, goal) {
  const [op, limit] = goal.split(' ');
  return (op === '>=' ? value >= Number(limit) : value <= Number(limit)) ? 'yes' : 'no';
}
