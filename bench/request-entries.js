// What one declared request entry costs: runs `smokestack run --url` against a loopback server
// with a 2 s phase whose `requests:` list has N entries (short ones: a scenario file is at most 1 MB), for N = 1 and N = ENTRIES (default
// 20,000), and prints the peak RSS of each CLI process (VmHWM) and the difference per entry.
//   node bench/request-entries.js [ENTRIES]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entries = Number(process.argv[2] ?? 20_000);
const bin = fileURLToPath(new URL('../bin/smokestack.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-entries-'));

const server = createServer((_req, res) => res.end('{}'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

function scenario(n) {
  const lines = [
    `name: entries-${n}`,
    'load:',
    '  - name: browse',
    '    duration: 2s',
    '    connections: 2',
    '    rate: 20/s',
    '    requests:',
  ];
  for (let i = 0; i < n; i++) lines.push(`      - { path: "/i/${i}?p={{seq}}" }`);
  const file = path.join(dir, `entries-${n}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Peak RSS (kB) of one run, polled from /proc while it runs. */
function peakRss(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'run', file, '--url', url, '--out', path.join(dir, 'out'), '--no-progress'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {}
    }, 50);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 1) reject(new Error(`exit ${code}: ${err}`));
      else resolve(peak);
    });
  });
}

const one = await peakRss(scenario(1));
const many = await peakRss(scenario(entries));
server.close();
const perEntry = ((many - one) * 1024) / (entries - 1);
console.log(
  `peak RSS, 1 entry: ${(one / 1024).toFixed(0)} MB; ${entries} entries: ${(many / 1024).toFixed(0)} MB`,
);
console.log(`per request entry: ${Math.round(perEntry)} bytes`);
