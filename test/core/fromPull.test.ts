import { lastValueFrom, take, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asyncMap, Batch, BoundedQueue, fromPull, type PullChunk, Telemetry } from '../../src/core/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counter(total: number, size: number, pulled: { n: number }) {
  return async function* (): AsyncGenerator<PullChunk> {
    for (let start = 0; start < total; start += size) {
      pulled.n++;
      const n = Math.min(size, total - start);
      yield { batch: Batch.fromRows(Array.from({ length: n }, (_, i) => ({ x: start + i }))), bytes: n * 4 };
    }
  };
}

test('a synchronous pipeline gets every batch in order and the books add up', async () => {
  const telemetry = new Telemetry();
  const progress: number[] = [];
  telemetry.on('progress').subscribe((e) => progress.push(e.rows));
  const pulled = { n: 0 };
  const batches = await lastValueFrom(fromPull(counter(1000, 64, pulled), { name: 't', telemetry }).pipe(toArray()));
  const xs = batches.flatMap((b) => b.toRows().map((r) => r.x));
  assert.equal(
    xs,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.is(progress.at(-1), 1000);
  assert.is(pulled.n, 16);
});

test('a slow async stage keeps the queue within capacity and the reader waits', async () => {
  const telemetry = new Telemetry();
  let maxDepth = 0;
  telemetry.on('queue').subscribe((e) => {
    maxDepth = Math.max(maxDepth, e.depth);
  });
  const pulled = { n: 0 };
  let processed = 0;
  const capacity = 3;
  const done = lastValueFrom(
    fromPull(counter(40 * 10, 10, pulled), { name: 'slow', capacity, telemetry }).pipe(
      asyncMap(async (b) => {
        await sleep(5);
        processed++;
        return b;
      }),
      toArray(),
    ),
  );
  await sleep(30);
  // The reader may only be `capacity` batches ahead of the slow stage (plus the one it is making).
  assert.ok(pulled.n - processed <= capacity + 1, `pulled ${pulled.n}, processed ${processed}`);
  const out = await done;
  assert.is(out.length, 40);
  assert.ok(maxDepth <= capacity, `max depth ${maxDepth}`);
  assert.ok(maxDepth >= 2, 'the queue was actually used');
});

test('unsubscribing stops the reader and closes it', async () => {
  let closed = false,
    pulledCount = 0;
  async function* gen(): AsyncGenerator<PullChunk> {
    try {
      for (let i = 0; ; i++) {
        pulledCount++;
        yield { batch: Batch.fromRows([{ x: i }]) };
        await sleep(1);
      }
    } finally {
      closed = true;
    }
  }
  const got = await lastValueFrom(fromPull(gen, { name: 'inf', telemetry: new Telemetry() }).pipe(take(3), toArray()));
  assert.is(got.length, 3);
  await sleep(20);
  assert.ok(closed, 'generator finally ran');
  assert.ok(pulledCount <= 5, `pulled ${pulledCount}`);
});

test('a reader error reaches the subscriber and telemetry', async () => {
  const telemetry = new Telemetry();
  const errors: string[] = [];
  telemetry.on('error').subscribe((e) => errors.push(e.message));
  async function* bad(): AsyncGenerator<PullChunk> {
    yield { batch: Batch.fromRows([{ x: 1 }]) };
    throw new Error('disk on fire');
  }
  try {
    await lastValueFrom(fromPull(bad, { name: 'bad', telemetry }));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /disk on fire/);
  }
  assert.equal(errors, ['disk on fire']);
});

test('asyncMap errors propagate and release their tickets', async () => {
  const q = new BoundedQueue('q', 2, new Telemetry());
  const t = q.admit();
  t.retain();
  t.release();
  assert.is(q.depth, 1);
  t.release();
  assert.is(q.depth, 0);
  assert.throws(() => t.retain(), /after final release/);
  const src = fromPull(counter(30, 10, { n: 0 }), { name: 'e', telemetry: new Telemetry() });
  try {
    await lastValueFrom(
      src.pipe(
        asyncMap(async (b) => {
          if (b.rowIds.length) throw new Error('stage failed');
          return b;
        }),
      ),
    );
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /stage failed/);
  }
});

test.run();
