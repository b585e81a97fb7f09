import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { parseBytes, rowsOf } from './helpers.js';

// Category values of 1–3 bytes take a packed-int cache in the fused fast path; these check it
// against the plain meaning of the text: nulls, values first seen on a bad row, multi-byte
// characters, values that share bytes but not lengths, and chunk cuts anywhere.
const VALUES = ['A', 'AB', 'ABC', 'ABCD', 'B', 'BA', 'é', 'éa', 'NA', 'N', 'NUL', 'None', 'AAA', 'AA', 'ABD', 'BAB', '\u00a0'];
const NULLS = new Set(['', 'NA', 'N/A', 'null', 'NULL', 'None']);

function corpus(seed: number, rows: number): { text: string; expected: unknown[][]; bad: Set<number> } {
  const rng = new Rng(seed);
  const lines = ['c,x,d'];
  const expected: unknown[][] = [];
  const bad = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const c = rng.float() < 0.05 ? '' : VALUES[rng.int(VALUES.length)]!;
    const d = VALUES[rng.int(VALUES.length)]! + (rng.float() < 0.02 ? 'Z' : '');
    // Some rows are bad (x not a number) and may carry a value seen nowhere else: 'QQ'/'QQQ'.
    const isBad = rng.float() < 0.03;
    const cc = isBad && rng.float() < 0.5 ? (rng.float() < 0.5 ? 'QQ' : 'QQQ') : c;
    lines.push(`${cc},${isBad ? `x${i}` : String(i)},${d}`);
    if (isBad) bad.add(i);
    else expected.push([NULLS.has(cc) ? null : cc, i, NULLS.has(d) ? null : d]);
  }
  return { text: `${lines.join('\n')}\n`, expected, bad };
}

for (const chunk of [1 << 20, 4096, 13]) {
  test(`short category values: codes, nulls and bad rows agree with the text (chunks of ${chunk} bytes)`, () => {
    const { text, expected, bad } = corpus(chunk, 20_000);
    const { batches, books } = parseBytes(Buffer.from(text), { schema: { c: 'category', x: 'integer', d: 'category' }, badRows: 'skip' }, chunk);
    const rows = rowsOf(batches);
    assert.is(rows.length, expected.length);
    // Row by row: a whole-array diff of 20k rows would take uvu minutes to print.
    for (let i = 0; i < rows.length; i++) assert.equal(rows[i], expected[i], `row ${i}`);
    assert.is(books.skipped, bad.size);
    // A value seen only on bad rows never reaches the dictionary.
    for (const b of batches) {
      const c = b.column('c');
      if ('dictionary' in c) {
        assert.not.ok(c.dictionary.values.includes('QQ'));
        assert.not.ok(c.dictionary.values.includes('QQQ'));
      }
    }
  });
}

test('a null token of a short category column is missing even after the same bytes were a value elsewhere', () => {
  const text = 'a,b\nNA,NA\nNA,x\nN,NA\n';
  const { batches } = parseBytes(Buffer.from(text), { schema: { a: 'category', b: 'category' }, nullValues: ['NA'] });
  assert.equal(rowsOf(batches), [
    [null, null],
    [null, 'x'],
    ['N', null],
  ]);
  // With NA not a null token, it is a value.
  const other = parseBytes(Buffer.from(text), { schema: { a: 'category', b: 'category' }, nullValues: [''] });
  assert.equal(rowsOf(other.batches), [
    ['NA', 'NA'],
    ['NA', 'x'],
    ['N', 'NA'],
  ]);
});

test('a required short category column: a null token row is rejected as required', () => {
  const { batches, books } = parseBytes(Buffer.from('a,v\nAB,1\nNA,2\nAB,3\n'), { schema: { a: 'category', v: 'integer' }, required: ['a'], badRows: 'skip' });
  assert.equal(rowsOf(batches), [
    ['AB', 1],
    ['AB', 3],
  ]);
  assert.is(books.skipped, 1);
});

test.run();
