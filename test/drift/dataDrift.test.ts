import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Schema } from '../../src/core/index.js';
import { columnDrift, DATA_DRIFT_THRESHOLDS, dataDrift, jensenShannonDivergence } from '../../src/drift/index.js';
import { ColumnStats } from '../../src/features/index.js';

/** x ~ Normal(shift, 1), c from `mix` over a, b, c, flag ~ Bernoulli(p). */
function sample(seed: number, n: number, shift: number, mix: readonly number[], p = 0.3): ColumnStats {
  const rng = new Rng(seed);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < n; i++) {
    let u = rng.float(),
      c = 0;
    while (c < mix.length - 1 && u >= mix[c]!) u -= mix[c++]!;
    rows.push({ x: rng.normal(shift, 1), c: 'abc'[c], flag: rng.bernoulli(p) });
  }
  const s = new ColumnStats();
  s.update(Batch.fromRows(rows));
  return s;
}

/** A category column of exact counts. */
function categories(counts: Record<string, number>): ColumnStats {
  const rows = Object.entries(counts).flatMap(([v, n]) => Array.from({ length: n }, () => ({ c: v })));
  const s = new ColumnStats();
  s.update(Batch.fromRows(rows));
  return s;
}

const MIX = [0.5, 0.3, 0.2];

test('same distribution, different draws: every measure near 0, every verdict none', () => {
  const r = dataDrift(sample(1, 20_000, 0, MIX), sample(2, 20_000, 0, MIX));
  assert.equal(r.drifted, []);
  assert.equal(Object.keys(r.columns), ['x', 'c', 'flag']);
  for (const [name, c] of Object.entries(r.columns)) {
    assert.is(c.verdict, 'none', name);
    assert.is(c.referenceRows, 20_000);
    for (const m of c.measures) assert.ok(m.value < 0.03, `${name} ${m.measure} ${m.value}`);
  }
  assert.equal(
    r.columns.x!.measures.map((m) => m.measure),
    ['psi', 'ks'],
  );
  assert.equal(
    r.columns.c!.measures.map((m) => m.measure),
    ['js'],
  );
});

test('a normal shifted by one σ: KS near 2Φ(½) − 1, PSI near 1, both major; unchanged columns stay none', () => {
  const r = dataDrift(sample(1, 20_000, 0, MIX), sample(2, 20_000, 1, MIX));
  const x = r.columns.x!;
  const [psi, ks] = x.measures;
  assert.ok(Math.abs(ks!.value - 0.38292492254802624) <= ks!.error! + ks!.critical, `ks ${ks!.value}`);
  assert.equal([psi!.verdict, ks!.verdict, x.verdict], ['major', 'major', 'major']);
  // Jeffreys' divergence of two unit normals a σ apart is 1; ten decile bins see a little less.
  assert.ok(psi!.value > 0.8 && psi!.value < 1.05, `psi ${psi!.value}`);
  assert.equal(r.drifted, ['x']);
});

test('a small shift (σ/10) over 20,000 rows: KS significant, so moderate; PSI under 0.1, so none', () => {
  const x = dataDrift(sample(1, 20_000, 0, MIX), sample(2, 20_000, 0.1, MIX)).columns.x!;
  assert.equal(
    x.measures.map((m) => m.verdict),
    ['none', 'moderate'],
  );
  assert.ok(x.measures[0]!.value < DATA_DRIFT_THRESHOLDS.psi.moderate);
  assert.is(x.verdict, 'moderate');
});

test('category mix change: the exact JS of the hand-computed counts, and its verdict', () => {
  const r = dataDrift(categories({ a: 500, b: 300, c: 200 }), categories({ a: 200, b: 300, c: 500 }));
  const js = r.columns.c!.measures[0]!;
  // ½ Σ P log2(P/M) + ½ Σ Q log2(Q/M), P = .5 .3 .2, Q = .2 .3 .5 (no "other": every value is compared)
  const hand = 0.5 * (2 * (0.5 * Math.log2(0.5 / 0.35)) + 2 * (0.2 * Math.log2(0.2 / 0.35)));
  assert.ok(Math.abs(js.value - hand) < 1e-15, `${js.value} vs ${hand}`);
  assert.equal([js.significant, js.verdict], [true, 'major']);
});

test('categories outside the top k go to one "other" bucket', () => {
  const ref = categories({ a: 50, b: 30, c: 15, d: 5 }),
    live = categories({ a: 20, b: 35, c: 25, d: 20 });
  // topK 1: a (the reference's top) and b (the live top) one by one, c and d as "other".
  const c = columnDrift(ref.toJSON().entries.c!, live.toJSON().entries.c!, { topK: 1 });
  assert.is(c.measures[0]!.value, jensenShannonDivergence([50, 30, 20], [20, 35, 45]));
  const all = columnDrift(ref.toJSON().entries.c!, live.toJSON().entries.c!);
  assert.is(all.measures[0]!.value, jensenShannonDivergence([50, 30, 15, 5, 0], [20, 35, 25, 20, 0]));
});

test('a small sample with a large JS by chance: the chi-square test says none', () => {
  // 6 rows each: JS 0.08 (over the major line) but far from significant.
  const c = dataDrift(categories({ a: 3, b: 3 }), categories({ a: 5, b: 1 })).columns.c!;
  assert.ok(c.measures[0]!.value > DATA_DRIFT_THRESHOLDS.js.major, String(c.measures[0]!.value));
  assert.equal([c.measures[0]!.significant, c.verdict], [false, 'none']);
});

test('boolean columns compare their shares by JS', () => {
  const r = dataDrift(sample(1, 5000, 0, MIX, 0.3), sample(2, 5000, 0, MIX, 0.6));
  const f = r.columns.flag!;
  assert.equal([f.type, f.measures[0]!.measure, f.verdict], ['boolean', 'js', 'major']);
});

test('columns only on one side, types that do not compare, states as input', () => {
  const a = new ColumnStats(),
    b = new ColumnStats();
  a.update(
    Batch.fromRows([
      { n: 1, k: 'x', only: 1, mixed: 'u' },
      { n: 2, k: 'y', only: 2, mixed: 'v' },
    ]),
  );
  b.update(
    Batch.fromRows([
      { n: 1.5, k: 'x', extra: 'z', mixed: 1 },
      { n: 2.5, k: 'y', extra: 'w', mixed: 2 },
    ]),
  );
  const r = dataDrift(a.toJSON(), JSON.parse(JSON.stringify(b.toJSON())));
  assert.equal(r.onlyReference, ['only']);
  assert.equal(r.onlyLive, ['extra']);
  assert.equal(r.notCompared, { mixed: 'category in the reference, number live' });
  assert.equal(Object.keys(r.columns), ['n', 'k']);
  assert.equal(r.columns.n!.type, 'number');
  assert.equal(
    r.columns.n!.measures.map((m) => m.measure),
    ['psi', 'ks'],
  );
});

test('a side with no values: no value measures, a note; its missing share is measured (one row: not significant)', () => {
  const a = new ColumnStats(),
    b = new ColumnStats();
  a.update(Batch.fromRows([{ x: 1 }, { x: 2 }]));
  b.update(Batch.fromRows([{ x: null }, { x: 2 }]).slice(0, 1));
  const c = dataDrift(a, b).columns.x!;
  assert.equal([c.measures.map((m) => [m.measure, m.significant]), c.verdict, c.note], [[['missing', false]], 'none', 'no live values']);
  assert.equal([c.referenceMissing, c.liveMissing], [0, 1]);
});

test('missing share: a column going dark is major, a small rise is none, and the values measures are unchanged', () => {
  const rows = (n: number, missingEvery: number, seed: number) => {
    const rng = new Rng(seed);
    return Batch.fromRows(
      Array.from({ length: n }, (_, i) => ({ x: missingEvery > 0 && i % missingEvery === 0 ? null : rng.float(), c: i % 2 ? 'a' : 'b' })),
      Schema.from({ x: 'number', c: 'category' }),
    );
  };
  const ref = new ColumnStats();
  ref.update(rows(4000, 100, 1)); // 1% missing
  const dark = new ColumnStats();
  dark.update(rows(4000, 3, 2)); // 33% missing, same values otherwise
  const d = dataDrift(ref, dark).columns.x!;
  const miss = d.measures.find((m) => m.measure === 'missing')!;
  assert.ok(miss.significant && miss.value > DATA_DRIFT_THRESHOLDS.psi.major, JSON.stringify(miss));
  assert.is(d.verdict, 'major');
  assert.equal(
    d.measures.filter((m) => m.measure !== 'missing').map((m) => m.verdict),
    ['none', 'none'],
  );
  assert.ok(Math.abs(d.liveMissing! - 1 / 3) < 1e-3, String(d.liveMissing));
  // 1% → 2%: PSI ≈ 0.007, none.
  const bit = new ColumnStats();
  bit.update(rows(4000, 50, 3));
  assert.is(dataDrift(ref, bit).columns.x!.verdict, 'none');
  // A column with no missing cell on either side has no missing measure.
  assert.not.ok(dataDrift(ref, dark).columns.c!.measures.some((m) => m.measure === 'missing'));
});

test('ColumnStats read in place give the report their saved states give, value for value', () => {
  const make = (seed: number, shift: number) => {
    const rng = new Rng(seed);
    const stats = new ColumnStats({ topCapacity: 16 });
    for (let b = 0; b < 3; b++)
      stats.update(
        Batch.fromRows(
          Array.from({ length: 3000 }, (_, i) => ({
            x: i % 17 === 0 ? null : rng.normal(shift, 1),
            n: rng.int(40),
            c: `c${Math.floor(rng.float() * (20 + 10 * shift))}`,
            f: rng.float() < 0.3 + 0.2 * shift,
          })),
          Schema.from({ x: 'number', n: 'integer', c: 'category', f: 'boolean' }),
        ),
      );
    return stats;
  };
  const a = make(1, 0),
    b = make(2, 1);
  const inPlace = dataDrift(a, b),
    saved = dataDrift(a.toJSON(), b.toJSON());
  assert.equal(inPlace, saved);
  assert.equal(inPlace.drifted, ['x', 'c', 'f']);
  // Reading in place leaves the statistics as they were.
  assert.equal(dataDrift(a, b), saved);
});

test.run();
