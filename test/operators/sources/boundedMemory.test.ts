import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asyncMap, Telemetry } from '../../../src/core/index.js';
import { fromCsv } from '../../../src/operators/index.js';

const ROWS = 2_000_000;
const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-mem-'));

function generate(): string {
  const path = join(dir, 'small-rows.csv');
  const fd = openSync(path, 'w');
  writeSync(fd, 'i,k\n');
  let parts: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    parts.push(`${i},${i % 7}\n`);
    if (parts.length === 100_000) {
      writeSync(fd, parts.join(''));
      parts = [];
    }
  }
  writeSync(fd, parts.join(''));
  closeSync(fd);
  return path;
}

test('2M rows through a slow consumer: the queue never exceeds its capacity and every row arrives', async () => {
  const path = generate();
  const capacity = 3;
  const telemetry = new Telemetry();
  let maxDepth = 0,
    queueEvents = 0;
  telemetry.on('queue').subscribe((e) => {
    queueEvents++;
    if (e.depth > maxDepth) maxDepth = e.depth;
  });
  let lastProgress: { rows: number; bytes: number; totalBytes?: number | undefined } = { rows: 0, bytes: 0 };
  telemetry.on('progress').subscribe((e) => {
    lastProgress = e;
  });
  const result = await lastValueFrom(
    fromCsv(path, { capacity, batchSize: 16384, telemetry }).pipe(
      // A slow stage: holds each batch's ticket while it awaits.
      asyncMap(async (b) => {
        await new Promise((r) => setTimeout(r, 3));
        return b;
      }),
      reduce(
        (acc, b) => {
          const i = b.column('i');
          if (i.type !== 'integer') throw new Error('i should be an integer column');
          for (let r = 0; r < b.length; r++) {
            acc.sum += i.values[r]!;
            acc.rows++;
          }
          return acc;
        },
        { rows: 0, sum: 0 },
      ),
    ),
  );
  assert.is(result.rows, ROWS);
  assert.is(result.sum, (ROWS * (ROWS - 1)) / 2);
  assert.ok(queueEvents > 0, 'the source reported its queue');
  assert.ok(maxDepth <= capacity, `queue depth reached ${maxDepth} > ${capacity}`);
  // The consumer was slow enough for the bound to matter: the queue filled up.
  assert.is(maxDepth, capacity);
  assert.is(lastProgress.rows, ROWS);
  assert.is(lastProgress.bytes, lastProgress.totalBytes);
});

test.run();
