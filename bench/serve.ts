/**
 * `npm run bench -- serve [--quick] [--json]`: `sluice serve` over loopback HTTP (issue #15 item 2),
 * loaded by autocannon (a dev dependency) in this process while the server runs in its own (plain
 * node, the dist build), so the two do not share an event loop: on a 2-core machine each has one
 * core. Every run is bounded in time (10 s, 3 s with --quick, after a 1 s warm-up) and in count
 * (maxOverallRequests). Figures, with stable names:
 *   predict-json-rps     requests/s of POST /predict with one JSON row each (64 connections, a pool
 *                        of 1,000 different rows), while a concurrent POST /learn stream applies
 *                        10k labelled rows/s (100 requests/s of 100 NDJSON rows, from this process).
 *                        baseline: a bare node:http hello-world (its own child process, answering
 *                        every POST with a fixed body) under the same load in the same run, as the
 *                        ceiling; ratio = server / hello-world. Bar: ≥ 30k requests/s.
 *   predict-json-p99     ms, that run's 99th percentile latency. Bar: < 5 ms.
 *   learn-stream-rows    rows/s the model learned during that run (from the server's own
 *                        sluice_learned_rows_total): the concurrent stream's real rate. Aim: 10k.
 *   predict-ndjson-rows  rows/s of POST /predict with NDJSON bodies of 10,000 rows (2 connections,
 *                        no learning). Bar: ≥ 1M rows/s.
 * The model: `sluice train` (per-row logistic, --batch 1) on a generated CSV of 200k rows: six
 * categorical columns of 2,000 values each (over the one-hot limit, so hashed) and two numbers,
 * labelled by a seeded logistic teacher, so there is something to learn.
 * SLUICE_BENCH_PROF=DIR: the server runs under --cpu-prof, its profile written to DIR on exit.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Rng } from '../src/core/index.js';
import { ensureBuilt } from './ensureBuilt.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'serve';
const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '.bench-data');
const CATEGORIES = 6;
const VALUES = 2_000;
const TRAIN_ROWS = 200_000;
const VERSION = 'v1';

/** The parts of autocannon's options and result read here (it ships no types). */
interface CannonOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  duration?: number;
  maxOverallRequests?: number;
  overallRate?: number;
  requests?: Array<{ setupRequest?: (req: { body?: string }) => { body?: string } }>;
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (o: CannonOptions) => Promise<CannonResult>;

/** A seeded row: six categories and two numbers, with its label (the teacher's coin flip). */
interface Gen {
  row(): Record<string, string | number>;
  label(r: Record<string, string | number>): 'yes' | 'no';
}

function generator(seed: number): Gen {
  const rng = new Rng(seed);
  const teacher = Array.from({ length: CATEGORIES }, () => Float64Array.from({ length: VALUES }, () => rng.normal(0, 0.8)));
  const wx = [1.2, -0.8];
  return {
    row() {
      const r: Record<string, string | number> = {};
      // Skewed: a few values of each column are common, as in real ids (ad, user, site).
      for (let c = 0; c < CATEGORIES; c++) r[`c${c}`] = `v${Math.floor(VALUES * rng.float() ** 2)}`;
      r.x0 = Math.round(rng.normal() * 1000) / 1000;
      r.x1 = Math.round(rng.uniform(0, 10) * 1000) / 1000;
      return r;
    },
    label(r) {
      let z = -0.2 + wx[0]! * (r.x0 as number) + wx[1]! * ((r.x1 as number) - 5) * 0.2;
      for (let c = 0; c < CATEGORIES; c++) z += teacher[c]![Number(String(r[`c${c}`]).slice(1))]!;
      return rng.bernoulli(1 / (1 + Math.exp(-z))) ? 'yes' : 'no';
    },
  };
}

/** Writes (once) the training CSV and trains the model on it with the dist build: the model directory. */
function model(log: (s: string) => void): string {
  const dir = join(DATA, `serve-model-${VERSION}`);
  if (existsSync(join(dir, 'pipeline.json'))) return dir;
  mkdirSync(DATA, { recursive: true });
  const csv = join(DATA, `serve-train-${VERSION}.csv`);
  const g = generator(1);
  const cols = [...Array.from({ length: CATEGORIES }, (_, c) => `c${c}`), 'x0', 'x1'];
  const lines = [`${cols.join(',')},y`];
  for (let i = 0; i < TRAIN_ROWS; i++) {
    const r = g.row();
    lines.push(`${cols.map((c) => r[c]).join(',')},${g.label(r)}`);
  }
  writeFileSync(`${csv}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${csv}.tmp`, csv);
  log(`serve: training the hashed logistic model on ${TRAIN_ROWS} rows`);
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'cli.js'), 'train', csv, '--target', 'y', '--batch', '1', '--save', `${dir}.tmp`, '--json', '--quiet'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`sluice train failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { metrics: Record<string, number>; choices?: { columns?: Record<string, string> } };
  log(`serve: trained: rocAuc ${report.metrics.rocAuc?.toFixed(3)}; c0 is ${report.choices?.columns?.c0 ?? '?'}`);
  renameSync(`${dir}.tmp`, dir);
  return dir;
}

/** Starts a child that prints its URL; resolves with it once the line is seen. */
function start(args: string[], pattern: RegExp): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const seen = (d: Buffer) => {
      err += d;
      const m = pattern.exec(err);
      if (m) done({ child, url: m[1]! });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => fail(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGINT');
  await exited;
}

/** A bare node:http server answering every request with the same small JSON body: the ceiling. */
const HELLO = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"hello":"world"}');
  });
});
s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
process.on('SIGINT', () => s.close(() => process.exit(0)));
`;

/** Requests cycling through `bodies`. */
function cycling(bodies: string[]): CannonOptions['requests'] {
  let i = 0;
  return [
    {
      setupRequest: (req) => {
        req.body = bodies[i++ % bodies.length]!;
        return req;
      },
    },
  ];
}

const us = (seconds: number) => (seconds * 1e6).toFixed(1);

async function cannon(o: CannonOptions, seconds: number, max: number): Promise<CannonResult> {
  const r = await autocannon({ ...o, duration: seconds, maxOverallRequests: max });
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0) throw new Error(`${o.url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`);
  return r;
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** sluice_learned_rows_total{endpoint="learn"} from the server's /metrics. */
async function learnedRows(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^sluice_learned_rows_total\{endpoint="learn"\} (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const seconds = quick ? 3 : 10;
  const log = (s: string) => reporter.log(s);
  ensureBuilt(log);
  const dir = model(log);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}`;
  const g = generator(2);
  const json = JSON.stringify;
  const rows = Array.from({ length: 1_000 }, () => g.row());
  const single = rows.map((r) => json(r));
  const learnBodies = Array.from({ length: 50 }, () =>
    Array.from({ length: 100 }, () => {
      const r = g.row();
      return json({ ...r, y: g.label(r) });
    }).join('\n'),
  );
  const bulk = Array.from({ length: 10_000 }, (_, i) => single[i % single.length]).join('\n');
  const prof = process.env.SLUICE_BENCH_PROF;
  if (prof) mkdirSync(prof, { recursive: true });

  const JSON_CT = { 'content-type': 'application/json' };
  const NDJSON_CT = { 'content-type': 'application/x-ndjson' };
  const predictLoad = (url: string): CannonOptions => ({ url: `${url}/predict`, method: 'POST', headers: JSON_CT, connections: 64, requests: cycling(single) });
  const maxRequests = 200_000 * seconds;

  // The ceiling first, alone on the machine but for autocannon.
  const hello = await start(['-e', HELLO], /listening on (http:\/\/[\d.:]+)/);
  let base: CannonResult;
  /** CPU seconds the server process used per request (or row) during a run: what a core could serve without the load generator beside it. */
  let baseCpu = Number.NaN;
  try {
    await cannon(predictLoad(hello.url), 1, maxRequests);
    const c0 = cpuSeconds(hello.child.pid);
    base = await cannon(predictLoad(hello.url), seconds, maxRequests);
    baseCpu = (cpuSeconds(hello.child.pid) - c0) / base.requests.total;
  } finally {
    await stop(hello.child);
  }

  const server = await start(
    [...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), join(ROOT, 'dist', 'cli.js'), 'serve', dir, '--port', '0', '--max-body-bytes', String(16 << 20)],
    /on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  try {
    const url = server.url;
    // Bulk NDJSON: 10,000 rows a request.
    const ndjson: CannonOptions = { url: `${url}/predict`, method: 'POST', headers: NDJSON_CT, body: bulk, connections: 2 };
    await cannon(ndjson, 1, 100_000);
    let c0 = cpuSeconds(server.child.pid);
    const nd = await cannon(ndjson, seconds, 100_000);
    const ndCpu = (cpuSeconds(server.child.pid) - c0) / (nd.requests.total * 10_000);
    const ndRows = (nd.requests.total * 10_000) / nd.duration;

    // Single rows while /learn takes 100 requests/s of 100 rows.
    await cannon(predictLoad(url), 1, maxRequests);
    const learnLoad: CannonOptions = {
      url: `${url}/learn`,
      method: 'POST',
      headers: NDJSON_CT,
      connections: 2,
      overallRate: 100,
      requests: cycling(learnBodies),
    };
    const learned0 = await learnedRows(url);
    const t0 = performance.now();
    c0 = cpuSeconds(server.child.pid);
    const [p, l] = await Promise.all([cannon(predictLoad(url), seconds, maxRequests), cannon(learnLoad, seconds, 100 * seconds + 10)]);
    const cpu = (cpuSeconds(server.child.pid) - c0) / p.requests.total;
    const learnRate = ((await learnedRows(url)) - learned0) / ((performance.now() - t0) / 1000);
    const rps = p.requests.total / p.duration;
    const baseRps = base.requests.total / base.duration;
    reporter.report({
      suite: SUITE,
      name: 'predict-json-rps',
      value: rps,
      unit: 'req/s',
      baseline: baseRps,
      ratio: rps / baseRps,
      note: `bar ≥ 30,000; 64 connections, ${seconds} s, with /learn at ${Math.round(learnRate)} rows/s; server CPU ${us(cpu)} µs/request, learning included (hello-world ${us(baseCpu)}); baseline: bare node:http hello-world (p99 ${base.latency.p99} ms); ${machine}`,
    });
    reporter.report({ suite: SUITE, name: 'predict-json-p99', value: p.latency.p99, unit: 'ms', note: `bar < 5; p50 ${p.latency.p50} ms` });
    reporter.report({
      suite: SUITE,
      name: 'learn-stream-rows',
      value: learnRate,
      unit: 'rows/s',
      note: `aim 10,000: ${l.requests.total} /learn requests of 100 rows in ${l.duration.toFixed(1)} s, p99 ${l.latency.p99} ms`,
    });
    reporter.report({
      suite: SUITE,
      name: 'predict-ndjson-rows',
      value: ndRows,
      unit: 'rows/s',
      note: `bar ≥ 1,000,000; 10,000-row bodies, 2 connections, p99 ${nd.latency.p99} ms; server CPU ${us(ndCpu)} µs/row`,
    });
  } finally {
    await stop(server.child);
  }
}
