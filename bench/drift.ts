/**
 * `npm run bench -- drift [--quick] [--json]`: the drift detectors of src/drift (issue #14).
 * Figures, with stable names:
 *   adwin-updates           updates/s of ADWIN (defaults: delta 0.002, clock 32) fed 0/1 errors
 *                           (p = 0.2) from a Float64Array, one `update` per row. Bar: ≥ 5M.
 *   page-hinkley-updates    the same for Page-Hinkley (defaults). Bar: ≥ 50M.
 *     baseline of both: a plain running-mean loop over the same array (n++, m += (x − m)/n), the
 *     least any detector must do; ratio = detector / baseline. Detector and baseline alternate,
 *     best of 5 each (the machine is shared; the note carries the load average).
 *   adwin-mean-delay        rows from the change to ADWIN's first drift, mean over 100 seeds, on the
 *                           issue's stream: 1000 uniform draws from {0,1}, then 1000 from {4..7},
 *                           delta 0.002, clock 32 (River documents 23 rows on its example). Bar: ≤ 32,
 *                           and no detection in the first 1000 rows (the note counts them).
 *   <detector>-jump-detection-rate  share of 100 seeded error streams (10,000 rows of Bernoulli(0.2)
 *                                   errors, then 2,000 of Bernoulli(0.5)) with a drift in the 2,000 rows
 *                                   after the jump
 *   <detector>-jump-delay           rows from the jump to that drift, mean over the streams that have one
 *   <detector>-false-alarms         drifts per 10k stationary rows (the first 10,000 rows of each stream)
 *     for adwin, page-hinkley, ddm, eddm, hddm-a, hddm-w, kswin, each with its defaults (the note
 *     gives them and their source).
 * `--quick`: 1M rows for the update rates instead of 4M; the detection figures keep their 100 seeds.
 */
import { loadavg } from 'node:os';
import { Rng } from '../src/core/index.js';
import { ADWIN, DRIFT_DETECTORS, type DriftDetector, type DriftDetectorKind, makeDriftDetector, PageHinkley } from '../src/drift/index.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'drift';
const SEEDS = 100;
const STATIONARY = 10_000;
const AFTER = 2_000;

/** Bench names, and the defaults each detector runs with, as published. */
const DETECTORS: Record<DriftDetectorKind, { name: string; defaults: string }> = {
  adwin: { name: 'adwin', defaults: 'delta 0.002, clock 32, M 5, min window 5, grace 10 (River; delta and M as MOA)' },
  pageHinkley: { name: 'page-hinkley', defaults: 'min 30 rows, delta 0.005, lambda 50, alpha 0.9999, both ways (River, MOA)' },
  ddm: { name: 'ddm', defaults: 'warm start 30, warning 2s, drift 3s (Gama 2004; River)' },
  eddm: { name: 'eddm', defaults: 'warm start 30 errors, alpha 0.95, beta 0.90 (Baena-García 2006; River)' },
  hddmA: { name: 'hddm-a', defaults: 'drift conf 0.001, warning conf 0.005, one-sided (River)' },
  hddmW: { name: 'hddm-w', defaults: 'drift conf 0.001, warning conf 0.005, lambda 0.05, one-sided (River)' },
  kswin: { name: 'kswin', defaults: 'alpha 0.005, window 100, stat 30 (River), seed 42' },
};

function load(): string {
  return `load avg ${loadavg()[0]!.toFixed(1)}`;
}

function errors(seed: number, n: number, p: number): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = rng.float() < p ? 1 : 0;
  return xs;
}

/** Seconds per pass over xs, best of `reps`, detector and baseline alternating. */
function rates(make: () => DriftDetector, xs: Float64Array, reps: number): { detector: number; baseline: number } {
  let best = Infinity,
    bestBase = Infinity,
    sink = 0;
  for (let r = 0; r < reps; r++) {
    const d = make();
    let t = performance.now();
    for (let i = 0; i < xs.length; i++) if (d.update(xs[i]!) === 'drift') sink++;
    best = Math.min(best, performance.now() - t);
    t = performance.now();
    let n = 0,
      m = 0;
    for (let i = 0; i < xs.length; i++) {
      n++;
      m += (xs[i]! - m) / n;
    }
    bestBase = Math.min(bestBase, performance.now() - t);
    sink += m;
  }
  if (sink === -1) console.log(sink); // keeps both loops' results alive
  return { detector: xs.length / (best / 1000), baseline: xs.length / (bestBase / 1000) };
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rows = quick ? 1 << 20 : 1 << 22;
  const xs = errors(1, rows, 0.2);
  for (const [name, make] of [
    ['adwin-updates', () => new ADWIN()],
    ['page-hinkley-updates', () => new PageHinkley()],
  ] as const) {
    rates(make, xs.subarray(0, 1 << 16), 3); // warm up the JIT
    const r = rates(make, xs, 5);
    reporter.report({
      suite: SUITE,
      name,
      value: r.detector,
      unit: 'updates/s',
      baseline: r.baseline,
      ratio: r.detector / r.baseline,
      note: `${rows.toLocaleString('en-US')} 0/1 errors from a Float64Array, defaults; baseline: running-mean loop; ${load()}`,
    });
  }

  reporter.log('drift: ADWIN on the issue stream, 100 seeds');
  let delay = 0,
    early = 0,
    missed = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const rng = new Rng(seed);
    const a = new ADWIN({ delta: 0.002, clock: 32 });
    let first = -1;
    for (let i = 0; i < 2000; i++) {
      const x = i < 1000 ? rng.int(2) : 4 + rng.int(4);
      if (a.update(x) === 'drift') {
        if (i < 1000) early++;
        else if (first < 0) first = i;
      }
    }
    if (first < 0) missed++;
    else delay += first - 1000;
  }
  reporter.report({
    suite: SUITE,
    name: 'adwin-mean-delay',
    value: delay / (SEEDS - missed),
    unit: 'rows',
    note: `100 seeds of 1000 draws from {0,1} then 1000 from {4..7}, delta 0.002, clock 32; ${early} detections in the first 1000 rows, ${missed} missed; bar ≤ 32 (River's example: 23)`,
  });

  reporter.log('drift: every detector on 100 error streams, p 0.2 → 0.5 after 10,000 rows');
  for (const kind of DRIFT_DETECTORS) {
    let detected = 0,
      delays = 0,
      falseAlarms = 0;
    const t0 = performance.now();
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = new Rng(1000 + seed);
      const d = makeDriftDetector(kind);
      let first = -1;
      for (let i = 0; i < STATIONARY + AFTER; i++) {
        const x = rng.float() < (i < STATIONARY ? 0.2 : 0.5) ? 1 : 0;
        if (d.update(x) === 'drift') {
          if (i < STATIONARY) falseAlarms++;
          else if (first < 0) first = i;
        }
      }
      if (first >= 0) {
        detected++;
        delays += first - STATIONARY;
      }
    }
    const { name, defaults } = DETECTORS[kind];
    const note = `${defaults}; ${((performance.now() - t0) / 1000).toFixed(1)} s for 100 streams`;
    reporter.report({ suite: SUITE, name: `${name}-jump-detection-rate`, value: detected / SEEDS, unit: 'share', note });
    reporter.report({ suite: SUITE, name: `${name}-jump-delay`, value: detected ? delays / detected : Number.NaN, unit: 'rows', note });
    reporter.report({ suite: SUITE, name: `${name}-false-alarms`, value: falseAlarms / ((SEEDS * STATIONARY) / 10_000), unit: 'per 10k', note });
  }
}
