/**
 * `npm run bench -- features`: the flights-like preprocessing chain (impute, standardize, one-hot
 * on both airports, datetime parts, vectorize) over 3M in-memory rows, against a hand-fused
 * TypeScript loop computing the same features; and hashed TF-IDF text throughput in MB/s against
 * a bare split-and-hash loop. Rows are generated as Batches (same shape and distributions as
 * bench/data/flightsCsv.ts), so CSV parsing is excluded from both figures.
 */

import { Batch, type Column, Rng, Schema, StringDictionary } from '../src/core/index.js';
import { DatetimeParts, HashedTfidf, Impute, murmurhash3String, OneHot, Scaler, type Transform, Vectorize } from '../src/features/index.js';
import type { Reporter } from './Reporter.js';

const SUITE = 'features';
const ROWS = 3_000_000;
const BATCH = 65_536;
const AIRPORTS = 300;

function flightsBatches(rows: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  const dict = new StringDictionary();
  while (dict.size < AIRPORTS) dict.code(String.fromCharCode(65 + rng.int(26), 65 + rng.int(26), 65 + rng.int(26)));
  const x = Array.from({ length: AIRPORTS }, () => rng.uniform(0, 2500)),
    y = Array.from({ length: AIRPORTS }, () => rng.uniform(0, 1500));
  const pick = () => Math.min(AIRPORTS - 1, Math.floor(AIRPORTS * rng.float() ** 2));
  const schema = Schema.from({ date: 'datetime', origin: 'category', destination: 'category', delay: 'integer', distance: 'integer', airtime: 'number' });
  const out: Batch[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let s = 0; s < rows; s += BATCH) {
    const n = Math.min(BATCH, rows - s);
    const date = new Float64Array(n),
      o = new Int32Array(n),
      d = new Int32Array(n),
      delay = new Int32Array(n),
      dist = new Int32Array(n),
      air = new Float64Array(n);
    const airValid = new Uint8Array((n + 7) >> 3).fill(0xff);
    for (let i = 0; i < n; i++) {
      o[i] = pick();
      d[i] = pick();
      if (d[i] === o[i]) d[i] = (d[i]! + 1 + rng.int(AIRPORTS - 1)) % AIRPORTS;
      date[i] = start + rng.int(366 * 24 * 60) * 60_000;
      dist[i] = Math.max(50, Math.round(Math.hypot(x[o[i]!]! - x[d[i]!]!, y[o[i]!]! - y[d[i]!]!)));
      delay[i] = Math.round(rng.float() < 0.2 ? Math.abs(rng.normal(30, 60)) : rng.normal(-2, 8));
      // 1% missing airtime, for the imputer to do something.
      if (rng.float() < 0.01) {
        air[i] = NaN;
        airValid[i >> 3]! &= ~(1 << (i & 7));
      } else air[i] = Math.round((dist[i]! / 7.5 + 20 + rng.normal(0, 6)) * 10) / 10;
    }
    const cols: Column[] = [
      { type: 'datetime', values: date, validity: null },
      { type: 'category', codes: o, dictionary: dict, validity: null },
      { type: 'category', codes: d, dictionary: dict, validity: null },
      { type: 'integer', values: delay, validity: null },
      { type: 'integer', values: dist, validity: null },
      { type: 'number', values: air, validity: airValid },
    ];
    out.push(new Batch(schema, cols, n, Batch.sequence(s, n)));
  }
  return out;
}

function chain(): { steps: Transform[]; vec: Vectorize } {
  return {
    steps: [
      new Impute({ columns: { airtime: 'mean', distance: 'mean' } }),
      new Scaler({ columns: ['delay', 'distance', 'airtime'] }),
      new OneHot(['origin', 'destination'], { maxCategories: 400 }),
      new DatetimeParts({ column: 'date', parts: ['hour', 'dayOfWeek'] }),
    ],
    vec: new Vectorize({ target: 'delay' }),
  };
}

function runChain(batches: Batch[]): number {
  const { steps, vec } = chain();
  let nnz = 0;
  for (let b of batches) {
    for (const t of steps) {
      t.learn(b);
      b = t.apply(b);
    }
    vec.learn(b);
    nnz += vec.apply(b).values.length;
  }
  return nnz;
}

/**
 * Learn+apply time of each chain step in ns/row (min over `reps` instrumented passes), for the
 * log only: the timers around every step cost a little, so the chain figure comes from runChain.
 */
function stepTimes(batches: Batch[], reps: number): string {
  const names = ['impute', 'scale', 'oneHot', 'datetimeParts', 'vectorize'];
  const best = names.map(() => Infinity);
  let rows = 0;
  for (const b of batches) rows += b.length;
  for (let r = 0; r < reps; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const { steps, vec } = chain();
    const t = names.map(() => 0);
    for (let b of batches) {
      for (let k = 0; k < steps.length; k++) {
        const t0 = performance.now();
        steps[k]!.learn(b);
        b = steps[k]!.apply(b);
        t[k]! += performance.now() - t0;
      }
      const t0 = performance.now();
      vec.learn(b);
      vec.apply(b);
      t[steps.length]! += performance.now() - t0;
    }
    t.forEach((x, k) => {
      best[k] = Math.min(best[k]!, x);
    });
  }
  return `${names.map((n, k) => `${n} ${((best[k]! * 1e6) / rows).toFixed(0)}`).join(', ')} ns/row`;
}

/** Every ArrayBuffer a batch's columns (or a matrix) hold, to tell new memory from memory passed through. */
function buffers(
  x: Batch | { values: Float32Array; indptr: Int32Array | null; indices: Int32Array | null; targets: Float32Array | null; weights: Float32Array | null },
): Set<ArrayBufferLike> {
  const out = new Set<ArrayBufferLike>();
  const add = (a: ArrayBufferView | null | undefined) => {
    if (a) out.add(a.buffer);
  };
  if (x instanceof Batch) {
    for (const c of x.columns) {
      add(c.validity);
      if (c.type === 'vector') {
        add(c.indptr);
        add(c.indices);
        add(c.values);
      } else if ('codes' in c) add(c.codes);
      else add(c.values);
    }
  } else {
    add(x.values);
    add(x.indptr);
    add(x.indices);
    add(x.targets);
    add(x.weights);
  }
  return out;
}

/**
 * Bytes per row of new typed-array memory in each step's output (arrays its input did not hold),
 * over `batches`: the memory a step allocates and the next one (or the model) keeps. Scratch
 * arrays dropped inside a step are not seen. For the log only.
 */
function allocPerRow(batches: Batch[]): string {
  const names = ['impute', 'scale', 'oneHot', 'datetimeParts', 'vectorize'];
  const bytes = names.map(() => 0);
  let rows = 0;
  const { steps, vec } = chain();
  const fresh = (before: Set<ArrayBufferLike>, after: Set<ArrayBufferLike>) => {
    let b = 0;
    for (const a of after) if (!before.has(a)) b += a.byteLength;
    return b;
  };
  for (let b of batches) {
    rows += b.length;
    for (let k = 0; k < steps.length; k++) {
      const before = buffers(b);
      steps[k]!.learn(b);
      b = steps[k]!.apply(b);
      bytes[k]! += fresh(before, buffers(b));
    }
    vec.learn(b);
    bytes[steps.length]! += fresh(buffers(b), buffers(vec.apply(b)));
  }
  const total = bytes.reduce((a, x) => a + x, 0);
  return `${names.map((n, k) => `${n} ${(bytes[k]! / rows).toFixed(0)}`).join(', ')} B/row (total ${(total / rows).toFixed(0)})`;
}

/** The same features in one hand-fused loop: the floor a modular chain is measured against. */
function runBaseline(batches: Batch[]): number {
  // Running moments per numeric column: delay, distance, airtime.
  const cnt = [0, 0, 0],
    mean = [0, 0, 0],
    m2 = [0, 0, 0];
  const W = 2 + 1 + 1 + 401 + 401; // distance, airtime, hour, dow, two one-hot blocks (delay is the target)
  let nnz = 0;
  for (const b of batches) {
    const n = b.length;
    const date = (b.columns[0] as { values: Float64Array }).values;
    const o = (b.columns[1] as { codes: Int32Array }).codes,
      d = (b.columns[2] as { codes: Int32Array }).codes;
    const delay = (b.columns[3] as { values: Int32Array }).values,
      dist = (b.columns[4] as { values: Int32Array }).values;
    const airC = b.columns[5] as { values: Float64Array; validity: Uint8Array | null };
    const cols: ArrayLike<number>[] = [delay, dist, airC.values];
    for (let j = 0; j < 3; j++) {
      const v = cols[j]!;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        if (x !== x) continue;
        const c = ++cnt[j]!;
        const dd = x - mean[j]!;
        mean[j]! += dd / c;
        m2[j]! += dd * (x - mean[j]!);
      }
    }
    const sd = m2.map((m, j) => Math.sqrt(m / Math.max(1, cnt[j]! - 1)) || 1);
    const indptr = new Int32Array(n + 1),
      indices = new Int32Array(n * 6),
      values = new Float32Array(n * 6),
      targets = new Float32Array(n);
    let q = 0;
    for (let i = 0; i < n; i++) {
      let air = airC.values[i]!;
      if (air !== air) air = mean[2]!;
      targets[i] = (delay[i]! - mean[0]!) / sd[0]!;
      indices[q] = 0;
      values[q++] = (dist[i]! - mean[1]!) / sd[1]!;
      indices[q] = 1;
      values[q++] = (air - mean[2]!) / sd[2]!;
      const ms = date[i]!;
      indices[q] = 2;
      values[q++] = Math.floor((ms % 86_400_000) / 3_600_000);
      indices[q] = 3;
      values[q++] = (Math.floor(ms / 86_400_000) + 4) % 7;
      indices[q] = 4 + o[i]!;
      values[q++] = 1;
      indices[q] = 4 + 401 + d[i]!;
      values[q++] = 1;
      indptr[i + 1] = q;
    }
    nnz += q + (W > 0 ? 0 : 1);
  }
  return nnz;
}

const WORDS =
  'the of and flight delay weather storm late gate crew runway taxi airport passenger baggage cancel refund seat window aisle snack coffee pilot tower wind fog ice snow rain clear sky boarding lounge terminal security queue ticket fare upgrade'.split(
    ' ',
  );

function textBatches(docs: number, seed: number): { batches: Batch[]; bytes: number } {
  const rng = new Rng(seed);
  const schema = Schema.from({ t: 'text' });
  const batches: Batch[] = [];
  let bytes = 0;
  for (let s = 0; s < docs; s += 4096) {
    const n = Math.min(4096, docs - s),
      dict = new StringDictionary(),
      codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const len = 20 + rng.int(40),
        w: string[] = [];
      for (let k = 0; k < len; k++) {
        let t = WORDS[rng.int(WORDS.length)]!;
        const r = rng.float();
        if (r < 0.05) t = `${t[0]!.toUpperCase() + t.slice(1)},`;
        else if (r < 0.07) t = `<b>${t}</b>`;
        else if (r < 0.09) t = String(rng.int(1000));
        w.push(t);
      }
      const doc = `${w.join(' ')}.`;
      bytes += Buffer.byteLength(doc);
      codes[i] = dict.code(`${doc} #${s + i}`);
    }
    batches.push(new Batch(schema, [{ type: 'text', codes, dictionary: dict, validity: null }], n, Batch.sequence(s, n)));
  }
  return { batches, bytes };
}

function runText(batches: Batch[]): number {
  const t = new HashedTfidf('t', { bits: 18, ngrams: [1, 2] });
  let nnz = 0;
  for (const b of batches) {
    t.learn(b);
    const c = t.apply(b).column('t');
    if (c.type === 'vector') nnz += c.indices.length;
  }
  return nnz;
}

/** Bare loop: lower-case, split on non-word characters, hash unigrams and bigrams, count per row. */
function runTextBaseline(batches: Batch[]): number {
  let nnz = 0;
  const mask = (1 << 18) - 1;
  for (const b of batches) {
    const c = b.columns[0] as { codes: Int32Array; dictionary: StringDictionary };
    for (let i = 0; i < b.length; i++) {
      const toks = c.dictionary.get(c.codes[i]!).toLowerCase().split(/\W+/).filter(Boolean);
      const m = new Map<number, number>();
      for (let k = 0; k < toks.length; k++) {
        const h1 = murmurhash3String(toks[k]!) & mask;
        m.set(h1, (m.get(h1) ?? 0) + 1);
        if (k + 1 < toks.length) {
          const h2 = murmurhash3String(`${toks[k]!} ${toks[k + 1]!}`) & mask;
          m.set(h2, (m.get(h2) ?? 0) + 1);
        }
      }
      nnz += m.size;
    }
  }
  return nnz;
}

function best(reps: number, f: () => number): number {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    f();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

export async function run(reporter: Reporter, args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rows = quick ? 300_000 : ROWS;
  reporter.log(`features: generating ${rows.toLocaleString('en-US')} flight rows in memory`);
  const batches = flightsBatches(rows, 42);
  runChain(batches.slice(0, 2));
  runBaseline(batches.slice(0, 2)); // warm up the JIT
  const reps = quick ? 2 : 3;
  // Chain and baseline alternate, best of each: on a shared machine, load that comes and goes
  // then falls on both alike instead of on whichever ran second.
  reporter.log('features: chain and fused baseline, alternated');
  let tChain = Infinity,
    tBase = Infinity;
  for (let r = 0; r < reps; r++) {
    tChain = Math.min(
      tChain,
      best(1, () => runChain(batches)),
    );
    tBase = Math.min(
      tBase,
      best(1, () => runBaseline(batches)),
    );
  }
  const rate = rows / tChain,
    baseRate = rows / tBase;
  reporter.log(
    `features: chain steps, learn+apply (instrumented pass): ${stepTimes(batches, reps)}; chain ${((tChain * 1e9) / rows).toFixed(0)} ns/row, fused baseline ${((tBase * 1e9) / rows).toFixed(0)} ns/row`,
  );
  reporter.log(`features: new memory per step's output: ${allocPerRow(batches.slice(0, 8))}; fused baseline 56 B/row`);
  reporter.report({
    suite: SUITE,
    name: 'chain',
    value: rate,
    unit: 'rows/s',
    baseline: baseRate,
    ratio: rate / baseRate,
    note: `impute+standardize+oneHot×2+datetime+vectorize, ${rows} in-memory rows (no CSV parsing), batches of ${BATCH}, one core; target ≥ 5M rows/s; baseline = hand-fused loop`,
  });

  const docs = quick ? 10_000 : 50_000;
  reporter.log(`features: ${docs} generated text documents`);
  const { batches: tb, bytes } = textBatches(docs, 7);
  runText(tb.slice(0, 1));
  runTextBaseline(tb.slice(0, 1));
  const tText = best(reps, () => runText(tb)),
    tTextBase = best(reps, () => runTextBaseline(tb));
  const mb = bytes / 1e6;
  reporter.report({
    suite: SUITE,
    name: 'text-hash',
    value: mb / tText,
    unit: 'MB/s',
    baseline: mb / tTextBase,
    ratio: tTextBase / tText,
    note: `clean+tokenize+stopwords+uni/bigrams+MurmurHash3+online TF-IDF+l2, 2^18 slots, ${docs} docs, ${mb.toFixed(1)} MB UTF-8; baseline = lowercase/split/hash/Map count`,
  });
}
