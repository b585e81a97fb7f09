/**
 * Dashboard overhead: the same synthetic pipeline (SEA rows scored by two rules, metrics
 * telemetry four times a second, like `sluice demo`) run without and with the live dashboard
 * drawing a 120×40 terminal. Reports `dashboard-overhead`: the extra CPU time of the pipeline's
 * thread in percent of the plain run's (target ≤ 5%), median of alternating runs. CPU time,
 * because wall clock on a shared machine swings by more than the effect; the thread's, because
 * the dashboard draws in a worker thread (its real configuration; `--render=main` measures
 * drawing on the pipeline's thread instead). The whole process's extra CPU (the worker's frames
 * included) and the wall-clock figure are reported too. As in `sluice`, the pipeline starts once
 * the first frame is up: the worker's start-up (`dashboard-startup`) is reported apart.
 * `dashboard-thread-cost` measures the dashboard's work on the pipeline's thread without the
 * pipeline (ms of CPU per second): it separates that work from what a busy second thread costs
 * the pipeline's thread on a small machine (shared caches; a thread burning 30% of a core
 * raised the pipeline thread's CPU by ~2.5% here), which is most of `dashboard-overhead`.
 *
 *   npm run bench -- tui [--rows=N] [--reps=N] [--render=worker|main]
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { Telemetry } from '../src/core/index.js';
import { synthetic } from '../src/operators/index.js';

// React picks its development or production build when first loaded: load the dashboard
// after asking for production, as `sluice` does (the development build draws several times slower).
process.env.NODE_ENV ??= 'production';
const { dashboard } = await import('../src/tui/index.js');

import type { Reporter } from './Reporter.js';

/** A terminal-sized sink for drawing on the main thread: ink sizes its layout from `columns`/`rows`. */
class FakeTerminal extends Writable {
  readonly columns = 120;
  readonly rows = 40;
  readonly isTTY = true;
  bytes = 0;
  writes = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    this.writes++;
    done();
  }
}

/**
 * CPU seconds of this (the main, pipeline) thread and seconds it waited, runnable, for a core:
 * Linux schedstat, in ns; elsewhere the process's CPU time and no wait figure.
 */
const threadStat = `/proc/self/task/${process.pid}/schedstat`;
function threadCpu(): { cpu: number; wait: number } {
  try {
    const [run, wait] = readFileSync(threadStat, 'utf8').split(' ');
    return { cpu: Number(run) / 1e9, wait: Number(wait) / 1e9 };
  } catch {
    const c = process.cpuUsage();
    return { cpu: (c.user + c.system) / 1e6, wait: NaN };
  }
}
const perThread = (() => {
  try {
    readFileSync(threadStat);
    return true;
  } catch {
    return false;
  }
})();

interface RunFigures {
  seconds: number;
  cpu: number;
  wait: number;
  processCpu: number;
  writes: number;
  bytes: number;
  startup: { seconds: number; cpu: number };
}

async function pipeline(rows: number, withDashboard: boolean, renderIn: 'worker' | 'main'): Promise<RunFigures> {
  const telemetry = new Telemetry();
  const term = new FakeTerminal();
  // The worker writes real frames to a real descriptor; /dev/null stands in for the terminal.
  const fd = withDashboard && renderIn === 'worker' ? openSync('/dev/null', 'w') : -1;
  const dash = !withDashboard
    ? null
    : renderIn === 'worker'
      ? dashboard({
          telemetry,
          title: 'bench',
          fd,
          width: 120,
          height: 40,
          fps: 10,
          stdin: new PassThrough() as unknown as NodeJS.ReadStream,
          patchConsole: false,
        })
      : dashboard({ telemetry, title: 'bench', renderIn: 'main', stdout: term as unknown as NodeJS.WriteStream, fps: 10, patchConsole: false });
  // `sluice` starts its pipeline once the first frame is up (the worker's start-up is reported apart).
  const t0 = performance.now(),
    s0 = process.cpuUsage();
  await dash?.ready;
  const s1 = process.cpuUsage(s0),
    startup = { seconds: (performance.now() - t0) / 1000, cpu: (s1.user + s1.system) / 1e6 };
  // The plain run still has a subscriber on the bus, as `sluice` always has one (a logger).
  const sink = withDashboard ? null : telemetry.events$.subscribe(() => {});
  const started = performance.now(),
    cpu0 = threadCpu(),
    p0 = process.cpuUsage();
  let total = 0;
  const cells = [new Float64Array(4), new Float64Array(4)];
  const timer = setInterval(() => {
    for (let r = 0; r < 2; r++) {
      const m = cells[r]!,
        n = m[0]! + m[1]! + m[2]! + m[3]!;
      telemetry.emit({
        type: 'metrics',
        rows: total,
        model: `rule ${r}`,
        values: { accuracy: (m[0]! + m[3]!) / Math.max(1, n) },
        rolling: { accuracy: (m[0]! + m[3]!) / Math.max(1, n) },
      });
    }
  }, 250);
  await new Promise<void>((resolve, reject) => {
    synthetic('sea', { rows, batchSize: 5000, telemetry, function: 1, noise: 0.1, seed: 1 }).subscribe({
      next: (b) => {
        const x1 = b.column('attrib1'),
          x2 = b.column('attrib2'),
          y = b.column('class');
        if (x1.type !== 'number' || x2.type !== 'number' || y.type !== 'integer') return;
        for (let i = 0; i < b.length; i++) {
          const s = x1.values[i]! + x2.values[i]!,
            c = y.values[i]!;
          cells[0]![c * 2 + (s > 8 ? 1 : 0)]!++;
          cells[1]![c * 2 + (s > 7 ? 1 : 0)]!++;
        }
        total += b.length;
      },
      error: reject,
      complete: resolve,
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const t1 = threadCpu(),
    cpu = t1.cpu - cpu0.cpu,
    wait = t1.wait - cpu0.wait;
  const pc = process.cpuUsage(p0),
    processCpu = (pc.user + pc.system) / 1e6;
  clearInterval(timer);
  sink?.unsubscribe();
  await dash?.stop();
  if (fd >= 0) closeSync(fd);
  const out = dash?.output ?? term;
  return { seconds, cpu, wait, processCpu, writes: out.writes, bytes: out.bytes, startup };
}

/**
 * The dashboard's own cost on this thread, without the pipeline's noise: the same telemetry
 * (progress and queue events every 2 ms, two models' metrics four times a second) on an
 * otherwise idle thread for `seconds`, this thread's CPU time per second with the dashboard
 * minus without.
 */
async function threadCost(seconds: number, withDashboard: boolean, renderIn: 'worker' | 'main'): Promise<number> {
  const telemetry = new Telemetry();
  const fd = withDashboard && renderIn === 'worker' ? openSync('/dev/null', 'w') : -1;
  const dash = !withDashboard
    ? null
    : renderIn === 'worker'
      ? dashboard({
          telemetry,
          title: 'bench',
          fd,
          width: 120,
          height: 40,
          fps: 10,
          stdin: new PassThrough() as unknown as NodeJS.ReadStream,
          patchConsole: false,
        })
      : dashboard({ telemetry, title: 'bench', renderIn: 'main', stdout: new FakeTerminal() as unknown as NodeJS.WriteStream, fps: 10, patchConsole: false });
  await dash?.ready;
  const sink = withDashboard ? null : telemetry.events$.subscribe(() => {});
  let rows = 0;
  const feed = setInterval(() => {
    rows += 5000;
    telemetry.emit({ type: 'progress', source: 'sea', rows, bytes: 0, totalRows: 1e9, done: false });
    telemetry.emit({ type: 'queue', name: 'sea', depth: rows % 4, capacity: 4 });
  }, 2);
  const metrics = setInterval(() => {
    for (let r = 0; r < 2; r++)
      telemetry.emit({ type: 'metrics', rows, model: `rule ${r}`, values: { accuracy: Math.random() }, rolling: { accuracy: Math.random() } });
  }, 250);
  const c0 = threadCpu().cpu,
    t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = threadCpu().cpu - c0,
    wall = (performance.now() - t0) / 1000;
  clearInterval(feed);
  clearInterval(metrics);
  sink?.unsubscribe();
  await dash?.stop();
  if (fd >= 0) closeSync(fd);
  return (1000 * cpu) / wall;
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const rows = Number(arg('rows') ?? 10_000_000);
  const reps = Number(arg('reps') ?? 5);
  const renderIn = arg('render') ?? 'worker';
  if (renderIn !== 'worker' && renderIn !== 'main') throw new Error(`--render: expected worker or main, got ${renderIn}`);
  reporter.log(
    `tui: ${rows} SEA rows, ${reps} alternating runs each without and with the dashboard (120×40, 10 fps, drawn in the ${renderIn === 'worker' ? 'worker thread' : 'main thread'}); CPU of ${perThread ? 'the main thread' : 'the process (no per-thread figure here)'}`,
  );
  await pipeline(Math.min(rows, 500_000), true, renderIn); // warm-up: JIT, ink and React modules
  const plain: RunFigures[] = [],
    dash: RunFigures[] = [];
  for (let i = 0; i < reps; i++) {
    const p = await pipeline(rows, false, renderIn);
    const d = await pipeline(rows, true, renderIn);
    plain.push(p);
    dash.push(d);
    reporter.log(
      `  run ${i + 1}: plain ${p.seconds.toFixed(2)} s (thread cpu ${p.cpu.toFixed(2)} s, waited ${p.wait.toFixed(2)} s, process ${p.processCpu.toFixed(2)} s), dashboard ${d.seconds.toFixed(2)} s (thread cpu ${d.cpu.toFixed(2)} s, waited ${d.wait.toFixed(2)} s, process ${d.processCpu.toFixed(2)} s, ${d.writes} writes; start-up ${d.startup.seconds.toFixed(2)} s)`,
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const pick = (rs: RunFigures[], k: 'seconds' | 'cpu' | 'processCpu') => med(rs.map((r) => r[k]));
  const p = pick(plain, 'seconds'),
    d = pick(dash, 'seconds'),
    pc = pick(plain, 'cpu'),
    dc = pick(dash, 'cpu');
  const pp = pick(plain, 'processCpu'),
    dp = pick(dash, 'processCpu');
  const dashSeconds = dash.reduce((a, r) => a + r.seconds, 0);
  const writes = dash.reduce((a, r) => a + r.writes, 0),
    bytes = dash.reduce((a, r) => a + r.bytes, 0);
  // Paired per run as well: alternating runs see the same background load, the medians may not.
  const paired = med(plain.map((r, i) => (100 * (dash[i]!.cpu - r.cpu)) / r.cpu));
  reporter.report({ suite: 'tui', name: 'plain-rows-per-second', value: rows / p, unit: 'rows/s', note: 'no dashboard (baseline)' });
  reporter.report({ suite: 'tui', name: 'dashboard-rows-per-second', value: rows / d, unit: 'rows/s', baseline: rows / p, ratio: p / d });
  reporter.report({
    suite: 'tui',
    name: 'dashboard-overhead',
    value: (100 * (dc - pc)) / pc,
    unit: '%',
    baseline: 0,
    note: `${perThread ? 'pipeline-thread' : 'process'} CPU seconds ${dc.toFixed(2)} vs ${pc.toFixed(2)}, median of ${reps} (paired median ${paired.toFixed(1)}%); drawn in the ${renderIn} thread; target ≤ 5%; ${(writes / dashSeconds).toFixed(1)} writes/s, ${(bytes / 1024 / dashSeconds).toFixed(0)} KiB/s to the terminal`,
  });
  reporter.report({
    suite: 'tui',
    name: 'dashboard-overhead-process',
    value: (100 * (dp - pp)) / pp,
    unit: '%',
    baseline: 0,
    note: `whole-process CPU seconds ${dp.toFixed(2)} vs ${pp.toFixed(2)} (the render worker's frames included, its start-up not), median of ${reps}`,
  });
  if (renderIn === 'worker')
    reporter.report({
      suite: 'tui',
      name: 'dashboard-startup',
      value: med(dash.map((r) => r.startup.seconds)),
      unit: 's',
      note: `dashboard() to the first frame, before the pipeline starts (not in the figures above); process CPU ${med(dash.map((r) => r.startup.cpu)).toFixed(2)} s (the worker loading ink, React and tsx), median of ${reps}`,
    });
  // The dashboard's share of this thread measured apart, alternating with and without.
  const on: number[] = [],
    off: number[] = [];
  for (let i = 0; i < 3; i++) {
    off.push(await threadCost(5, false, renderIn));
    on.push(await threadCost(5, true, renderIn));
  }
  const cost = med(on) - med(off);
  reporter.report({
    suite: 'tui',
    name: 'dashboard-thread-cost',
    value: cost,
    unit: 'ms/s',
    note: `CPU ms per second the dashboard takes on the pipeline's thread (${(cost / 10).toFixed(2)}% of it), drawn in the ${renderIn} thread: ${med(on).toFixed(1)} vs ${med(off).toFixed(1)} ms/s for the telemetry alone, idle pipeline, 3 × 5 s each, median`,
  });
  reporter.report({
    suite: 'tui',
    name: 'dashboard-overhead-wall',
    value: (100 * (d - p)) / p,
    unit: '%',
    baseline: 0,
    note: `wall seconds, median of ${reps}`,
  });
}
