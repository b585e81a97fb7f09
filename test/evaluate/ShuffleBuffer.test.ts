import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ShuffleBuffer } from '../../src/evaluate/index.js';
import { matrix } from '../operators/learn/FakeModel.js';

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

test('ShuffleBuffer: bounded, returns what does not fit, and its snapshot replays identically', () => {
  const b = new ShuffleBuffer(8, 3);
  assert.is(b.add(matrix(0, 5)), null);
  const rest = b.add(matrix(5, 5))!;
  assert.ok(b.full);
  assert.equal(Array.from(rest.rowIds!), [8, 9]);
  const copy = ShuffleBuffer.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
  const ids = (buf: ShuffleBuffer) => [...buf.replay(2, 3)].flatMap((c) => Array.from(c.matrix.rowIds!));
  const a = ids(b);
  assert.equal(ids(copy), a);
  assert.is(b.size, 0);
  assert.equal(sorted(a.slice(0, 8)), range(0, 8));
});

test.run();
