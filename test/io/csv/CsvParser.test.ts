import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBytes } from './helpers.js';

/** A CSV of `rows` rows of `cols` integer columns: c0 is the row number, column c > 0 holds c. */
function csv(rows: number, cols: number): Uint8Array {
  const head = Array.from({ length: cols }, (_, c) => `c${c}`).join(',');
  const rest = Array.from({ length: cols - 1 }, (_, c) => `,${c + 1}`).join('');
  const lines = [head];
  for (let r = 0; r < rows; r++) lines.push(`${r}${rest}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Few inference rows: inferring 785 columns from 1000 rows costs seconds and is not what is tested. */
const FAST = { inferRows: 10 };

test('default batches of wide rows hold at most 2^19 cells (bounded memory whatever the width)', () => {
  // 785 columns (784 pixels and a label): floor(2^19 / 785) = 667 rows a batch, not 32768.
  const { batches, books } = parseBytes(csv(1400, 785), FAST);
  assert.equal(
    batches.map((b) => b.length),
    [667, 667, 66],
  );
  assert.is(books.read, 1400);
  // Rows and values are all there, in order, across the cuts.
  assert.is(batches[1]!.rowIds[0], 667);
  assert.is(batches[1]!.value('c0', 0), 667);
  assert.is(batches[1]!.value('c784', 0), 784);
  assert.is(batches[2]!.value('c0', 65), 1399);
});

test('very wide rows keep at least 64 rows a batch; narrow ones 32768; an explicit batchSize wins', () => {
  assert.equal(
    parseBytes(csv(70, 9000), FAST).batches.map((b) => b.length),
    [64, 6],
  );
  assert.equal(
    parseBytes(csv(33000, 16)).batches.map((b) => b.length),
    [32768, 232],
  );
  assert.equal(
    parseBytes(csv(3000, 785), { ...FAST, batchSize: 1000 }).batches.map((b) => b.length),
    [1000, 1000, 1000],
  );
  assert.equal(
    parseBytes(csv(100, 785), { ...FAST, batchSize: 5000 }).batches.map((b) => b.length),
    [100],
  );
});

test.run();
