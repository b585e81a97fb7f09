import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asyncMap, Batch, fromPull, type PullChunk, QuiesceGate, Telemetry } from '../../src/core/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counter(total: number, size: number) {
  return async function* (): AsyncGenerator<PullChunk> {
    for (let start = 0; start < total; start += size) {
      const n = Math.min(size, total - start);
      yield { batch: Batch.fromRows(Array.from({ length: n }, (_, i) => ({ x: start + i }))) };
    }
  };
}

test('quiesce runs with no batch in work, sees exactly the rows let through, and loses or reorders nothing', async () => {
  const gate = new QuiesceGate();
  let done = 0;
  let working = 0;
  const seen: Array<{ passed: number; done: number; working: number }> = [];
  const out = fromPull(counter(2000, 50), { name: 't', telemetry: new Telemetry(), capacity: 3 }).pipe(
    gate.operator(),
    asyncMap(async (b) => {
      working++;
      await sleep(2);
      if (b.toRows()[0]!.x === 500)
        void gate.quiesce(async () => {
          seen.push({ passed: gate.passed, done, working });
        });
      done += b.length;
      working--;
      return b;
    }),
    toArray(),
  );
  const timer = setInterval(
    () =>
      void gate.quiesce(async () => {
        seen.push({ passed: gate.passed, done, working });
      }),
    7,
  );
  const batches = await lastValueFrom(out);
  clearInterval(timer);
  const xs = batches.flatMap((b) => b.toRows().map((r) => r.x));
  assert.equal(
    xs,
    Array.from({ length: 2000 }, (_, i) => i),
  );
  assert.ok(seen.length >= 2, `quiesced ${seen.length} times`);
  for (const s of seen) {
    assert.is(s.working, 0, 'no batch in work');
    assert.is(s.done, s.passed, 'the state downstream covers exactly the rows let through');
  }
});

test('a quiesce asked while idle runs at once, and a failing one rejects without stopping the stream', async () => {
  const gate = new QuiesceGate();
  let ran = false;
  await gate.quiesce(async () => {
    ran = true;
  });
  assert.ok(ran);
  await gate
    .quiesce(async () => {
      throw new Error('disk full');
    })
    .then(
      () => assert.unreachable('should reject'),
      (e) => assert.match((e as Error).message, /disk full/),
    );
  assert.is(gate.holding, false);
  const batches = await lastValueFrom(fromPull(counter(300, 100), { name: 't', telemetry: new Telemetry() }).pipe(gate.operator(), toArray()));
  assert.is(
    batches.reduce((n, b) => n + b.length, 0),
    300,
  );
});

test.run();
