import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix, Rng, SpecError } from '../../src/core/index.js';
import { labeledRows } from '../../src/evaluate/index.js';
import { createModel, modelFromState } from '../../src/learn/index.js';
import { RaceModel, type TuneRecord } from '../../src/tune/index.js';

// Seeded logistic data: 8 dense features, a fixed true weight vector, some NaN targets (predicted, not learned).
function data(rows: number, seed = 5): FeatureMatrix {
  const rng = new Rng(seed),
    d = 8;
  const w = Array.from({ length: d }, () => rng.normal(0, 1.5));
  const x = new Float32Array(rows * d),
    y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (x[r * d + j] = rng.normal(0, 1)) * w[j]!;
    y[r] = r % 97 === 13 ? Number.NaN : rng.uniform(0, 1) < 1 / (1 + Math.exp(-s)) ? 1 : 0;
  }
  return FeatureMatrix.dense(rows, d, x, { targets: y });
}

const space = [
  { kind: 'logistic', optimizer: 'normalized', lr: { logUniform: [0.01, 5] } },
  { kind: 'logistic', optimizer: 'ftrl', lr: { logUniform: [0.005, 1] }, l2: [0, 1] },
];

/** Each candidate alone on the same rows: its per-row predictions (test-then-train). */
async function alone(config: Record<string, unknown>, x: FeatureMatrix): Promise<Float32Array> {
  const m = await createModel({ kind: 'logistic', seed: 1, ...config } as never);
  const out = new Float32Array(x.rows);
  m.testThenTrain!(x, out);
  return out;
}

test('every row is served by the candidate leading before it; each lead change and drop is what the candidates alone justify', async () => {
  const x = data(3000);
  const leads: Array<{ id: number; row: number; why: string }> = [];
  const drops: Array<{ id: number; row: number; why: string }> = [];
  const race = await RaceModel.create(
    { kind: 'logistic', seed: 1 },
    { candidates: 8, space, rung: 200 },
    { onDrop: (d, _l, row, why) => drops.push({ id: d.id, row, why }), onLeader: (l, _p, row, why) => leads.push({ id: l.id, row, why }) },
  );
  const out = new Float32Array(x.rows);
  race.testThenTrain!(x, out);
  const rec = race.record();
  const preds = await Promise.all(rec.leaderboard.sort((a, b) => a.id - b.id).map((e) => alone(e.config, x)));
  const loss = (c: number, r: number) => {
    const t = x.targets![r]!;
    return -Math.log(Math.min(1, Math.max(1e-7, t === 1 ? preds[c]![r]! : 1 - preds[c]![r]!)));
  };
  // Served rows follow the lead changes; candidate 0 (the defaults) answers first.
  let leader = 0,
    since = 0;
  const labeled = (r0: number, r1: number) => Array.from({ length: r1 - r0 }, (_, i) => r0 + i).filter((r) => !Number.isNaN(x.targets![r]!));
  for (const [i, change] of [...leads, { id: -1, row: x.rows, why: '' }].entries()) {
    for (let r = since; r < change.row; r++) assert.is(out[r], preds[leader]![r], `row ${r} served by #${leader}`);
    if (change.id < 0) break;
    if (/beyond 0\.99 confidence/.test(change.why)) {
      // A paired change: over the labeled rows since the last change, the new leader's loss is below the old one's beyond 2.58 standard errors.
      const d = labeled(since, change.row).map((r) => loss(change.id, r) - loss(leader, r));
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1) / d.length);
      assert.ok(mean + 2.5758 * sd < 0, `change ${i} to #${change.id} at ${change.row}: ${mean} ± ${sd}`);
    } else assert.match(change.why, /end of a \d+-row rung: best loss over the rung/);
    leader = change.id;
    since = change.row;
  }
  assert.is(rec.winner.id, leader);
  assert.ok(race.finished);
  assert.is(drops.length, 7);
  // The defaults are never dropped early: only at a rung end once the scheduled race (7 first rungs, 1,400 rows) has run.
  const d0 = drops.find((d) => d.id === 0);
  if (d0) assert.match(d0.why, /rung/);
  // Each candidate's books are its own losses alone, on the labeled rows up to its drop.
  for (const e of rec.leaderboard) {
    const rows = labeled(0, e.dropped === null ? x.rows : e.dropped + 1);
    assert.is(e.rows, rows.length, `#${e.id} rows`);
    const mean = rows.reduce((a, r) => a + loss(e.id, r), 0) / rows.length;
    assert.ok(Math.abs(e.loss - mean) < 1e-9, `#${e.id} loss ${e.loss} vs ${mean}`);
  }
  // The winner was never retrained: its state is the state of the same configuration alone after the same rows.
  const solo = await createModel({ kind: 'logistic', seed: 1, ...rec.winner.config } as never);
  solo.testThenTrain!(x, new Float32Array(x.rows));
  const a = await race.state(),
    b = await solo.state();
  assert.equal(a.params, b.params);
  assert.equal((a.tune as TuneRecord).winner, rec.winner);
});

test('halving: the field halves at each rung end (rungs double); budget used counts rows learned per row raced', async () => {
  const x = data(2000, 9);
  const race = await RaceModel.create({ kind: 'logistic', seed: 1 }, { candidates: 8, space, rung: 100, confidence: 0 });
  const alive: number[] = [];
  for (let r0 = 0; r0 < x.rows; r0 += 50) {
    race.testThenTrain!(x.sliceRows(r0, r0 + 50), new Float32Array(50));
    alive.push(race.alive);
  }
  // Labeled rows: one in 97 is NaN, so the rung ends (100, 300, 700 labeled rows) fall a little later in the stream.
  const labeledBefore = (rows: number) => rows - Math.floor((rows - 14 + 97) / 97);
  for (let i = 0; i < alive.length; i++) {
    const done = labeledBefore((i + 1) * 50);
    assert.is(alive[i], done >= 700 ? 1 : done >= 300 ? 2 : done >= 100 ? 4 : 8, `after ${(i + 1) * 50} rows`);
  }
  const rec = race.record();
  const labeled = labeledBefore(2000);
  assert.ok(Math.abs(rec.budgetUsed - (8 * 100 + 4 * 200 + 2 * 400 + (labeled - 700)) / labeled) < 1e-12, String(rec.budgetUsed));
});

test('the result does not depend on how the rows are cut into calls', async () => {
  const x = data(1500, 3);
  const whole = await RaceModel.create({ kind: 'logistic', seed: 1 }, { candidates: 6, space, rung: 64 });
  const a = new Float32Array(x.rows);
  whole.testThenTrain!(x, a);
  const cut = await RaceModel.create({ kind: 'logistic', seed: 1 }, { candidates: 6, space, rung: 64 });
  const b = new Float32Array(x.rows);
  for (let r0 = 0; r0 < x.rows; r0 += 7) {
    const part = new Float32Array(Math.min(7, x.rows - r0));
    cut.testThenTrain!(x.sliceRows(r0, r0 + part.length), part);
    b.set(part, r0);
  }
  assert.equal(Array.from(a), Array.from(b));
  assert.equal(whole.record().leaderboard, cut.record().leaderboard);
});

test('a hopeless candidate is dropped before its rung ends; the saved state rebuilds the winner alone', async () => {
  const x = data(1200, 11);
  const drops: Array<{ id: number; row: number; why: string }> = [];
  const race = await RaceModel.create(
    { kind: 'logistic', seed: 1 },
    {
      candidates: 2,
      space: [
        { kind: 'logistic', optimizer: 'normalized' },
        { kind: 'logistic', optimizer: 'normalized', lr: 1e-5 },
      ],
      rung: 100_000,
    },
    { onDrop: (d, _l, row, why) => drops.push({ id: d.id, row, why }) },
  );
  race.testThenTrain!(x, new Float32Array(x.rows));
  assert.is(drops.length, 1);
  assert.is(drops[0]!.id, 1);
  assert.ok(drops[0]!.row < 1000, `dropped at ${drops[0]!.row}`);
  assert.match(drops[0]!.why, /beyond 0\.99 confidence/);
  const state = await race.state();
  const back = await modelFromState(state);
  const probe = data(50, 99);
  assert.equal(Array.from(await back.predict(probe)), Array.from(await race.predict(probe)));
  assert.is(back.kind, 'logistic');
});

test('batched candidates (one pass per row for the normalized ones) race exactly as candidates alone', async () => {
  const x = data(5000, 17);
  const runs = [];
  for (const batched of [true, false]) {
    const race = await RaceModel.create({ kind: 'logistic', seed: 1 }, { candidates: 10, space, rung: 150, batched });
    const out = new Float32Array(x.rows);
    const adapters: string[] = [];
    for (let r0 = 0; r0 < x.rows; r0 += 1000) {
      race.testThenTrain!(x.sliceRows(r0, r0 + 1000), out.subarray(r0, r0 + 1000));
      adapters.push(race.adapter);
    }
    runs.push({ out: Array.from(out), board: race.leaderboard(), state: await race.state(), adapters });
  }
  assert.equal(runs[0]!.out, runs[1]!.out);
  assert.equal(runs[0]!.board, runs[1]!.board);
  assert.equal(runs[0]!.state.params, runs[1]!.state.params);
  // A normalized leader is served from its block while others race with it, from a model of its own once it has won.
  assert.ok(
    runs[0]!.adapters.some((a) => /batched with \d+ other candidate/.test(a)),
    runs[0]!.adapters.join('\n'),
  );
  assert.not.ok(runs[1]!.adapters.some((a) => /batched/.test(a)));
  assert.not.match(runs[0]!.adapters.at(-1)!, /batched/);
});

test('a candidate with no synchronous test-then-train races through the asynchronous path, mini-batch by mini-batch', async () => {
  const x = data(400, 21);
  const sgd = { kind: 'logistic', optimizer: 'sgd', lr: 0.1, batchSize: 4 };
  const race = await RaceModel.create(
    { kind: 'logistic', seed: 1 },
    { candidates: 2, space: [{ kind: 'logistic', optimizer: 'normalized' }, sgd], rung: 10_000, confidence: 0 },
  );
  assert.is(race.testThenTrain, undefined);
  assert.is(race.batchSize, 4);
  await race.testThenTrainAsync(x, new Float32Array(x.rows));
  const m = await createModel({ seed: 1, ...sgd } as never);
  let sum = 0,
    n = 0;
  for (let r0 = 0; r0 < x.rows; r0 += 4) {
    const part = x.sliceRows(r0, r0 + 4);
    const p = await m.predict(part);
    for (let r = 0; r < 4; r++) {
      const t = part.targets![r]!;
      if (Number.isNaN(t)) continue;
      sum -= Math.log(Math.min(1, Math.max(1e-7, t === 1 ? p[r]! : 1 - p[r]!)));
      n++;
    }
    const labeled = labeledRows(part);
    if (labeled) await m.learn(labeled);
  }
  const e = race.leaderboard().find((l) => l.id === 1)!;
  assert.is(e.rows, n);
  assert.ok(Math.abs(e.loss - sum / n) < 1e-9, `${e.loss} vs ${sum / n}`);
  await race.dispose();
});

test('a candidate the model options refuse is named with its family', async () => {
  try {
    await RaceModel.create({ kind: 'logistic' }, { candidates: 2, space: [{ kind: 'logistic' }, { kind: 'logistic', lr: -1 }] });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SpecError);
    assert.match((e as Error).message, /tune\.space\[1\]: candidate #1 \(logistic lr=-1\): .*lr/);
  }
  await assert.not.throws(async () => RaceModel.create({ kind: 'linear' }, { candidates: 4 }));
});

test.run();
