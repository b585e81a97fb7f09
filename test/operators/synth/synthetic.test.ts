import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Batch, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { synthetic } from '../../../src/operators/index.js';
import { SEAGenerator } from '../../../src/synth/index.js';

const ids = (bs: Batch[]) => bs.flatMap((b) => Array.from(b.rowIds));

test('emits `rows` rows in batches of `batchSize`, rowIds continuous', async () => {
  const bs = await lastValueFrom(synthetic('sea', { rows: 2500, batchSize: 1000 }).pipe(toArray()));
  assert.equal(
    bs.map((b) => b.length),
    [1000, 1000, 500],
  );
  assert.equal(
    ids(bs),
    Array.from({ length: 2500 }, (_, i) => i),
  );
  assert.equal(bs[0]!.schema.names, ['attrib1', 'attrib2', 'attrib3', 'class']);
});

test('by name: generator options pass through, and each subscription sees the same rows', async () => {
  const src = synthetic('stagger', { function: 3, seed: 9, rows: 300, batchSize: 128 });
  const one = await lastValueFrom(src.pipe(toArray())),
    two = await lastValueFrom(src.pipe(toArray()));
  assert.equal(
    one.flatMap((b) => b.toRows()),
    two.flatMap((b) => b.toRows()),
  );
  for (const r of one.flatMap((b) => b.toRows())) assert.is(r.class, r.size === 'small' ? 0 : 1);
});

test('with an instance: the stream advances the generator, so a later subscription continues', async () => {
  const g = new SEAGenerator({ seed: 4 });
  const src = synthetic(g, { rows: 700, batchSize: 300 });
  const first = await lastValueFrom(src.pipe(toArray()));
  assert.is(g.position, 700);
  const second = await lastValueFrom(src.pipe(toArray()));
  assert.is(ids(second)[0], 700);
  const reference = new SEAGenerator({ seed: 4 }).next(1400).toRows();
  assert.equal(
    [...first, ...second].flatMap((b) => b.toRows()),
    reference,
  );
});

test('progress telemetry carries totalRows when finite and ends with done', async () => {
  const telemetry = new Telemetry();
  const events: TelemetryEvent[] = [];
  const sub = telemetry.events$.subscribe((e) => events.push(e));
  await lastValueFrom(synthetic('led', { rows: 5000, batchSize: 1000, telemetry, name: 'leds' }).pipe(toArray()));
  sub.unsubscribe();
  const progress = events.filter((e): e is Extract<TelemetryEvent, { type: 'progress' }> => e.type === 'progress');
  assert.ok(progress.length >= 5);
  assert.ok(progress.every((e) => e.source === 'leds' && e.totalRows === 5000));
  const last = progress[progress.length - 1]!;
  assert.is(last.done, true);
  assert.is(last.rows, 5000);
});

test('unbounded by default: take() stops it, progress has no totalRows', async () => {
  const telemetry = new Telemetry();
  const events: TelemetryEvent[] = [];
  const sub = telemetry.events$.subscribe((e) => events.push(e));
  const bs = await lastValueFrom(synthetic('hyperplane', { batchSize: 100, telemetry }).pipe(take(5), toArray()));
  sub.unsubscribe();
  assert.is(bs.length, 5);
  const progress = events.filter((e) => e.type === 'progress');
  assert.ok(progress.length >= 5 && progress.every((e) => e.type === 'progress' && e.totalRows === undefined));
});

test('an endless stream leaves the event loop free: a timer can stop it', async () => {
  let rows = 0;
  await new Promise<void>((resolve) => {
    const sub = synthetic('sea', { batchSize: 500 }).subscribe((b) => {
      rows += b.length;
    });
    setTimeout(() => {
      sub.unsubscribe();
      resolve();
    }, 30);
  });
  assert.ok(rows > 0);
  const after = rows;
  await new Promise((r) => setTimeout(r, 20));
  assert.is(rows, after, 'rows kept coming after unsubscribe');
});

test('options are checked when the operator is created', () => {
  const specError = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof SpecError && re.test((e as Error).message));
  specError(() => synthetic('sea', { rows: -1 }), /^synthetic\.rows: /);
  specError(() => synthetic('sea', { rows: 1.5 }), /^synthetic\.rows: /);
  specError(() => synthetic('sea', { batchSize: 0 }), /^synthetic\.batchSize: /);
  specError(() => synthetic('sea', { capacity: 0 }), /^synthetic\.capacity: /);
  specError(() => synthetic('sea', { function: 9 }), /^sea\.function: expected 1\.\.4, got 9/);
  specError(() => synthetic('nope'), /unknown generator "nope"/);
  specError(() => synthetic(new SEAGenerator(), { function: 2 }), /^synthetic\.function: /);
});

test('rows: 0 completes at once', async () => {
  assert.is(await firstValueFrom(synthetic('sea', { rows: 0 }).pipe(toArray())).then((a) => a.length), 0);
});

test.run();
