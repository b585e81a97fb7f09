/**
 * Dashboard overhead: the same synthetic pipeline (SEA rows scored by two rules, metrics
 * telemetry four times a second, like `sluice demo`) run without and with the live dashboard
 * drawing to a fake 120×40 terminal. Reports `dashboard-overhead`: the extra CPU time of the
 * process in percent of the plain run's (target ≤ 5%), median of alternating runs. CPU time,
 * because wall clock on a shared machine swings by more than the effect; the wall-clock figure
 * is reported too (`dashboard-overhead-wall`).
 */
import { Writable } from 'node:stream';
import { Telemetry } from '../src/core/index.js';
import { synthetic } from '../src/operators/index.js';
// React picks its development or production build when first loaded: load the dashboard
// after asking for production, as `sluice` does (the development build draws several times slower).
process.env['NODE_ENV'] ??= 'production';
const { dashboard } = await import('../src/tui/index.js');
import type { Reporter } from './Reporter.js';

/** A terminal-sized sink: ink sizes its layout from `columns`/`rows` and writes frames here. */
class FakeTerminal extends Writable {
  readonly columns = 120;
  readonly rows = 40;
  readonly isTTY = true;
  bytes = 0;
  frames = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    this.frames++;
    done();
  }
}

async function pipeline(rows: number, withDashboard: boolean): Promise<{ seconds: number; cpu: number; frames: number; bytes: number }> {
  const telemetry = new Telemetry();
  const term = new FakeTerminal();
  const dash = withDashboard
    ? dashboard({ telemetry, title: 'bench', stdout: term as unknown as NodeJS.WriteStream, fps: 10 })
    : null;
  // The plain run still has a subscriber on the bus, as `sluice` always has one (a logger).
  const sink = withDashboard ? null : telemetry.events$.subscribe(() => {});
  const started = performance.now(), cpu0 = process.cpuUsage();
  let total = 0;
  const cells = [new Float64Array(4), new Float64Array(4)];
  const timer = setInterval(() => {
    for (let r = 0; r < 2; r++) {
      const m = cells[r]!, n = m[0]! + m[1]! + m[2]! + m[3]!;
      telemetry.emit({ type: 'metrics', rows: total, model: `rule ${r}`, values: { accuracy: (m[0]! + m[3]!) / Math.max(1, n) }, rolling: { accuracy: (m[0]! + m[3]!) / Math.max(1, n) } });
    }
  }, 250);
  await new Promise<void>((resolve, reject) => {
    synthetic('sea', { rows, batchSize: 5000, telemetry, function: 1, noise: 0.1, seed: 1 }).subscribe({
      next: (b) => {
        const x1 = b.column('attrib1'), x2 = b.column('attrib2'), y = b.column('class');
        if (x1.type !== 'number' || x2.type !== 'number' || y.type !== 'integer') return;
        for (let i = 0; i < b.length; i++) {
          const s = x1.values[i]! + x2.values[i]!, c = y.values[i]!;
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
  const c = process.cpuUsage(cpu0), cpu = (c.user + c.system) / 1e6;
  clearInterval(timer);
  sink?.unsubscribe();
  await dash?.stop();
  return { seconds, cpu, frames: term.frames, bytes: term.bytes };
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const rowsArg = args.find((a) => a.startsWith('--rows='));
  const rows = rowsArg ? Number(rowsArg.slice(7)) : 10_000_000;
  const reps = 5;
  reporter.log(`tui: ${rows} SEA rows, ${reps} alternating runs each without and with the dashboard (120×40 fake terminal, 10 fps)`);
  await pipeline(Math.min(rows, 500_000), true); // warm-up: JIT, ink and React modules
  const plain: number[] = [], dash: number[] = [], plainCpu: number[] = [], dashCpu: number[] = [];
  let frames = 0, bytes = 0;
  for (let i = 0; i < reps; i++) {
    const p = await pipeline(rows, false);
    plain.push(p.seconds); plainCpu.push(p.cpu);
    const d = await pipeline(rows, true);
    dash.push(d.seconds); dashCpu.push(d.cpu); frames += d.frames; bytes += d.bytes;
    reporter.log(`  run ${i + 1}: plain ${p.seconds.toFixed(2)} s (cpu ${p.cpu.toFixed(2)} s), dashboard ${d.seconds.toFixed(2)} s (cpu ${d.cpu.toFixed(2)} s)`);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const p = med(plain), d = med(dash), pc = med(plainCpu), dc = med(dashCpu);
  reporter.report({ suite: 'tui', name: 'plain-rows-per-second', value: rows / p, unit: 'rows/s', note: 'no dashboard (baseline)' });
  reporter.report({ suite: 'tui', name: 'dashboard-rows-per-second', value: rows / d, unit: 'rows/s', baseline: rows / p, ratio: p / d });
  reporter.report({ suite: 'tui', name: 'dashboard-overhead', value: 100 * (dc - pc) / pc, unit: '%', baseline: 0, note: `CPU seconds ${dc.toFixed(2)} vs ${pc.toFixed(2)}, median of ${reps}; target ≤ 5%; ${(frames / dash.reduce((a, b) => a + b, 0)).toFixed(1)} writes/s, ${(bytes / 1024 / dash.reduce((a, b) => a + b, 0)).toFixed(0)} KiB/s to the terminal` });
  reporter.report({ suite: 'tui', name: 'dashboard-overhead-wall', value: 100 * (d - p) / p, unit: '%', baseline: 0, note: `wall seconds, median of ${reps}` });
}
