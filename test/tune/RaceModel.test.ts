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

test('every row is served by the candidate leading before it; losses, metrics and the winner are those of each candidate alone', async () => {
  const x = data(3000);
  const drops: string[] = [];
  const race = await RaceModel.create(
    { kind: 'logistic', seed: 1 },
    { candidates: 8, space, rung: 200 },
    { onDrop: (d, _l, row, why) => drops.push(`${d.id}@${row}: ${why}`) },
  );
  const out = new Float32Array(x.rows);
  race.testThenTrain!(x, out);
  const rec = race.record();
  const preds = await Promise.all(rec.leaderboard.sort((a, b) => a.id - b.id).map((e) => alone(e.config, x)));
  // Replay: the leader before each row is the lowest mean log loss so far among those not yet dropped (ties: lower id).
  const n = preds.map(() => 0),
    sum = preds.map(() => 0);
  const droppedAt = rec.leaderboard.map((e) => e.dropped ?? Infinity);
  let leader = 0,
    learned = 0;
  for (let r = 0; r < x.rows; r++) {
    assert.is(out[r], preds[leader]![r], `row ${r} served by #${leader}`);
    const t = x.targets![r]!;
    if (Number.isNaN(t)) continue;
    for (let c = 0; c < preds.length; c++) {
      if (learned > droppedAt[c]!) continue;
      const p = Math.min(1, Math.max(1e-7, t === 1 ? preds[c]![r]! : 1 - preds[c]![r]!));
      sum[c]! -= Math.log(p);
      n[c]!++;
    }
    let best = -1;
    for (let c = 0; c < preds.length; c++) if (learned < droppedAt[c]! && (best < 0 || sum[c]! / n[c]! < sum[best]! / n[best]!)) best = c;
    leader = best;
    learned++;
  }
  for (const e of rec.leaderboard) {
    assert.is(e.rows, n[e.id], `#${e.id} rows`);
    assert.ok(Math.abs(e.loss - sum[e.id]! / n[e.id]!) < 1e-9, `#${e.id} loss ${e.loss} vs ${sum[e.id]! / n[e.id]!}`);
  }
  assert.ok(race.finished, 'one left after 8 → 4 → 2 → 1 (rungs of 200, 400, 800 rows) or early drops');
  assert.is(rec.winner.id, leader);
  assert.ok(drops.length === 7, drops.join('\n'));
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
  const x = data(2500, 17);
  const runs = [];
  for (const batched of [true, false]) {
    const race = await RaceModel.create({ kind: 'logistic', seed: 1 }, { candidates: 10, space, rung: 150, batched });
    const out = new Float32Array(x.rows);
    const adapters: string[] = [];
    for (let r0 = 0; r0 < x.rows; r0 += 500) {
      race.testThenTrain!(x.sliceRows(r0, r0 + 500), out.subarray(r0, r0 + 500));
      adapters.push(race.adapter);
    }
    runs.push({ out: Array.from(out), board: race.leaderboard(), state: await race.state(), adapters });
  }
  assert.equal(runs[0]!.out, runs[1]!.out);
  assert.equal(runs[0]!.board, runs[1]!.board);
  assert.equal(runs[0]!.state.params, runs[1]!.state.params);
  // A normalized leader is served from its block while others race with it, from a model of its own once it has won.
  assert.ok(runs[0]!.adapters.some((a) => /batched with \d+ other candidate/.test(a)), runs[0]!.adapters.join('\n'));
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
