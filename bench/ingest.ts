/**
 * Ingest benchmark: CSV and Arrow IPC sources on 3M flight records (bench/data, cached under
 * .bench-data/). Figures, with stable names:
 *   csv       MB/s of fromCsv on one thread (parseThread: false; typed columns), baseline fast-csv MB/s on the same file (strings only)
 *   csv-rows  rows/s of the same
 *   csv-thread MB/s of fromCsv's parse thread (its default for big files) with nothing downstream
 *   arrow     rows/s of fromArrowIpc on the same data as an Arrow IPC file
 *   peak-rss  MB, the largest RSS sampled while our paths run (before fast-csv runs)
 * Targets: csv ≥ 100 MB/s and ≥ 10× fast-csv; arrow ≥ 20M rows/s; peak RSS < 300 MB.
 * `--rows N` changes the data size (figures are comparable only at the default 3M).
 */
import { statSync } from 'node:fs';
import { parseFile } from 'fast-csv';
import { lastValueFrom, type Observable, reduce } from 'rxjs';
import type { Batch } from '../src/core/index.js';
import { fromArrowIpc, fromCsv } from '../src/operators/index.js';
import { flightsArrow } from './data/flightsArrow.js';
import { flightsCsv } from './data/flightsCsv.js';
import { ensureBuilt } from './ensureBuilt.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'ingest';
/** Best of this many runs for our paths: the machine is shared, the best run is the least disturbed. */
const RUNS = 3;
/** The Arrow path takes ~0.1 s a run and its first run pays for JIT warm-up and cold reads: more runs. */
const ARROW_RUNS = 7;

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  ensureBuilt((l) => reporter.log(l));
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 3_000_000;
  reporter.log(`ingest: preparing ${rows} flight rows (cached in .bench-data/)`);
  const csvPath = flightsCsv({ rows });
  const arrowPath = await flightsArrow({ rows });
  const csvBytes = statSync(csvPath).size;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();

  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);

  const count = (o: Observable<Batch>) => lastValueFrom(o.pipe(reduce((n, b) => n + b.length, 0)));
  // The parser on the calling thread (`csv`), and fromCsv's default for a file this size, the
  // parse thread (`csv-thread`), alternated so both see the same load.
  let csvSeconds = Infinity,
    csvCpu = Infinity,
    threadSeconds = Infinity;
  for (let r = 0; r < RUNS; r++) {
    for (const threaded of [false, true]) {
      const t0 = performance.now(),
        c0 = process.cpuUsage();
      const n = await count(fromCsv(csvPath, { parseThread: threaded ? 'auto' : false }));
      const s = (performance.now() - t0) / 1000;
      const cu = process.cpuUsage(c0),
        cpu = (cu.user + cu.system) / 1e6;
      if (n !== rows) throw new Error(`fromCsv read ${n} rows, expected ${rows}`);
      reporter.log(`  fromCsv${threaded ? ' (parse thread)' : ''} run ${r + 1}: ${s.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU`);
      if (threaded) threadSeconds = Math.min(threadSeconds, s);
      else {
        csvSeconds = Math.min(csvSeconds, s);
        csvCpu = Math.min(csvCpu, cpu);
      }
      gc?.();
    }
  }
  // No gc() between Arrow runs: a forced full GC resets V8's external-memory limits, and the next
  // run (which allocates ~1.5 MB of ArrayBuffers per record batch: bodies, times, rowIds) then
  // pays for a mark-compact every few batches, 3-4x its steady-state time; a fresh process or a
  // running stream does not. One GC before the series clears the CSV runs' garbage.
  let arrowSeconds = Infinity,
    arrowCpu = Infinity;
  for (let r = 0; r < ARROW_RUNS; r++) {
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    const n = await count(fromArrowIpc(arrowPath));
    const s = (performance.now() - t0) / 1000;
    const cu = process.cpuUsage(c0),
      cpu = (cu.user + cu.system) / 1e6;
    if (n !== rows) throw new Error(`fromArrowIpc read ${n} rows, expected ${rows}`);
    reporter.log(`  fromArrowIpc run ${r + 1}: ${s.toFixed(3)} s wall, ${cpu.toFixed(3)} s CPU`);
    arrowSeconds = Math.min(arrowSeconds, s);
    arrowCpu = Math.min(arrowCpu, cpu);
  }
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());

  reporter.log('  fast-csv (baseline, one run)...');
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const baseRows = await new Promise<number>((resolve, reject) => {
    let n = 0;
    parseFile(csvPath, { headers: true })
      .on('data', () => {
        n++;
      })
      .on('error', reject)
      .on('end', () => resolve(n));
  });
  const baseSeconds = (performance.now() - t0) / 1000;
  const bu = process.cpuUsage(c0),
    baseCpu = (bu.user + bu.system) / 1e6;
  if (baseRows !== rows) throw new Error(`fast-csv read ${baseRows} rows, expected ${rows}`);

  const mb = csvBytes / 1e6;
  const ours = mb / csvSeconds,
    base = mb / baseSeconds;
  reporter.report({
    suite: SUITE,
    name: 'csv',
    value: ours,
    unit: 'MB/s',
    baseline: base,
    ratio: ours / base,
    note: `wall clock, best of ${RUNS}; per CPU-second ${(mb / csvCpu).toFixed(0)} MB/s vs fast-csv ${(mb / baseCpu).toFixed(1)} MB/s; ${rows} rows, ${mb.toFixed(0)} MB; typed columns vs fast-csv string rows; target ≥ 100 MB/s and ≥ 10x`,
  });
  reporter.report({ suite: SUITE, name: 'csv-rows', value: rows / csvSeconds, unit: 'rows/s', note: `best of ${RUNS}` });
  reporter.report({
    suite: SUITE,
    name: 'csv-thread',
    value: mb / threadSeconds,
    unit: 'MB/s',
    baseline: ours,
    ratio: csvSeconds / threadSeconds,
    note: `fromCsv's default here (parseThread auto: a second thread parses, batches move to this one), nothing downstream, best of ${RUNS}; baseline = csv (one thread). It pays off when the pipeline has work of its own (train's logistic-e2e)`,
  });
  reporter.report({
    suite: SUITE,
    name: 'arrow',
    value: rows / arrowSeconds,
    unit: 'rows/s',
    note: `wall clock, best of ${ARROW_RUNS}; per CPU-second ${(rows / arrowCpu / 1e6).toFixed(1)}M rows/s; fromArrowIpc (src/operators/sources over src/io/arrow), IPC file ${(statSync(arrowPath).size / 1e6).toFixed(0)} MB; target ≥ 20M rows/s`,
  });
  reporter.report({
    suite: SUITE,
    name: 'peak-rss',
    value: peak / 1e6,
    unit: 'MB',
    note: 'max RSS sampled every 20 ms during the fromCsv and fromArrowIpc runs; target < 300 MB',
  });
}
