import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../../src/core/index.js';
import { type LearnOptions, learn } from '../../../src/operators/learn/index.js';
import { FakeModel, matrix } from './FakeModel.js';

/** 50 rows in 10 batches of 5, learned with these options: the learned row ids per learn call, and the progress. */
async function train(options: LearnOptions, rows = 50) {
  const model = new FakeModel();
  const batches = Array.from({ length: rows / 5 }, (_, b) => matrix(b * 5, 5));
  const progress = await lastValueFrom(from(batches).pipe(learn(model, options), toArray()));
  const calls = model.log.filter((c) => c.op === 'learn').map((c) => c.rowIds);
  return { calls, progress, all: calls.flat() };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

test('without epochs or a buffer, each batch is learned as it comes, in order', async () => {
  const { calls, progress } = await train({});
  assert.is(calls.length, 10);
  assert.equal(calls.flat(), range(0, 50));
  assert.is(progress.at(-1)!.final, true);
  assert.is(progress.at(-1)!.rows, 50);
  assert.is(progress.at(-1)!.loss, 0.5);
});

test('epochs over a buffer that holds the data: every row k times, each epoch a seeded permutation of all rows', async () => {
  const { calls, all, progress } = await train({ epochs: 3, shuffleBuffer: 100, seed: 7, chunkRows: 7 });
  assert.is(all.length, 150);
  const epochs = [all.slice(0, 50), all.slice(50, 100), all.slice(100)];
  for (const e of epochs) assert.equal(sorted(e), range(0, 50), 'an epoch is a permutation of the data');
  assert.not.equal(epochs[0], range(0, 50), 'shuffled, not arrival order');
  assert.not.equal(epochs[0], epochs[1], 'each epoch reshuffles');
  assert.ok(calls.every((c) => c.length <= 7));
  const fin = progress.at(-1)!;
  assert.equal([fin.rows, fin.inputRows, fin.epoch, fin.window, fin.final], [150, 50, 2, 0, true]);
  assert.equal((await train({ epochs: 3, shuffleBuffer: 100, seed: 7, chunkRows: 7 })).all, all, 'same seed, same order');
  assert.not.equal((await train({ epochs: 3, shuffleBuffer: 100, seed: 8, chunkRows: 7 })).all, all, 'another seed, another order');
});

test('a buffer smaller than the data gives a windowed shuffle: each window replayed k times before the next is read', async () => {
  const { all, progress } = await train({ epochs: 2, shuffleBuffer: 20, seed: 1 });
  assert.is(all.length, 100);
  const windows = [
    [0, 20],
    [20, 40],
    [40, 50],
  ];
  let at = 0;
  for (const [a, b] of windows) {
    for (let e = 0; e < 2; e++) {
      const pass = all.slice(at, at + (b! - a!));
      assert.equal(sorted(pass), range(a!, b!), `window ${a}-${b}, epoch ${e}`);
      at += b! - a!;
    }
  }
  assert.is(progress.at(-1)!.window, 2);
});

test('shuffle: false replays in arrival order; rows without a target are never learned', async () => {
  const model = new FakeModel();
  const m = matrix(0, 6, undefined, (id) => (id === 3 ? NaN : 1));
  await lastValueFrom(from([m]).pipe(learn(model, { epochs: 2, shuffle: false }), toArray()));
  assert.equal(
    model.log.filter((c) => c.op === 'learn').flatMap((c) => c.rowIds),
    [0, 1, 2, 4, 5, 0, 1, 2, 4, 5],
  );
});

test('learn options are checked when the operator is created', () => {
  const model = new FakeModel();
  assert.throws(
    () => learn(model, { epochs: 0 }),
    (e: unknown) => e instanceof SpecError && /learn\.epochs/.test(String(e)),
  );
  assert.throws(() => learn(model, { shuffleBuffer: 0 }), /shuffleBuffer/);
  assert.throws(() => learn(model, { chunkRows: 1.5 }), /learn\.chunkRows/);
});

test.run();
