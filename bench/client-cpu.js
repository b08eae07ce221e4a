#!/usr/bin/env node
// Client CPU per 1,000 requests of a rate phase, side by side (A B A B) against one loopback
// server in its own process (so only the client's CPU is counted). A and B are two builds of
// smokestack (their dist/ folders): before and after a change to the load stage.
//   node bench/client-cpu.js OLD_DIST NEW_DIST [rate=500] [seconds=5] [rounds=3]
// Each build runs the same phase: `rate` per second for `seconds`, 50 connections, against a
// server answering at once (so the old closed-model rate can hold it too).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldDist, newDist, rate = '500', seconds = '5', rounds = '3'] = process.argv.slice(2);
if (!oldDist || !newDist) {
  console.error('usage: node bench/client-cpu.js OLD_DIST NEW_DIST [rate] [seconds] [rounds]');
  process.exit(2);
}
const SERVER = `require('node:http').createServer((q, s) => { q.resume(); s.end('ok'); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((r) => server.stdout.once('data', (d) => r(Number(String(d).trim()))));
const baseUrl = `http://127.0.0.1:${port}`;

async function load(dist) {
  const url = (f) => pathToFileURL(path.resolve(dist, f)).href;
  const { runPhase } = await import(url('load/phases.js'));
  const { Recorder } = await import(url('load/recorder.js'));
  return { runPhase, Recorder };
}
const builds = { before: await load(oldDist), after: await load(newDist) };
const phase = {
  name: 'p',
  connections: 50,
  pipelining: 1,
  durationMs: Number(seconds) * 1000,
  ratePerSecond: Number(rate),
  requests: [{ name: 'r', weight: 1, method: 'GET', path: '/?i={{seq}}', headers: {} }],
};

async function once(build) {
  const recorder = new build.Recorder({ serverTimeoutMs: 30_000, warnAt: 0.5, criticalAt: 0.8 });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await build.runPhase(phase, { baseUrl, values: {}, recorder, signal: new AbortController().signal });
  const cpu = process.cpuUsage(cpu0);
  const total = recorder.finish().requests.total;
  return { total, wallMs: Date.now() - t0, cpuMsPer1000: ((cpu.user + cpu.system) / 1000 / total) * 1000 };
}

const samples = { before: [], after: [] };
for (let i = 0; i < Number(rounds); i++)
  for (const name of ['before', 'after']) samples[name].push(await once(builds[name]));
server.kill();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name) => ({
  build: name,
  requests: samples[name].map((s) => s.total).join(' '),
  cpuMsPer1000: samples[name].map((s) => s.cpuMsPer1000.toFixed(1)).join(' '),
  median: median(samples[name].map((s) => s.cpuMsPer1000)).toFixed(1),
});
console.table([row('before'), row('after')]);
const ratio =
  median(samples.after.map((s) => s.cpuMsPer1000)) / median(samples.before.map((s) => s.cpuMsPer1000));
console.log(`client CPU per 1,000 requests, after / before (medians): ${ratio.toFixed(2)}`);
