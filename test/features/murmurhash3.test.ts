import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { murmurhash3, murmurhash3String } from '../../src/features/index.js';

// Published MurmurHash3 x86_32 vectors (SMHasher / the widely cited verification table).
const vectors: Array<[string, number, number]> = [
  ['', 0, 0],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['aa', 0x9747b28c, 0x5d211726],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
];

test('string vectors (UTF-8 bytes)', () => {
  for (const [s, seed, want] of vectors) assert.is(murmurhash3String(s, seed), want, `${JSON.stringify(s)} seed ${seed.toString(16)}`);
});

test('byte vectors and sub-ranges', () => {
  assert.is(murmurhash3(new Uint8Array([0, 0, 0, 0]), 0), 0x2362f9de);
  assert.is(murmurhash3(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0), 0x76293b50);
  assert.is(murmurhash3(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0), 0xf55b516b);
  assert.is(murmurhash3(new Uint8Array([0x21, 0x43, 0x65]), 0), 0x7e4a8634);
  assert.is(murmurhash3(new Uint8Array([0x21, 0x43]), 0), 0xa0f7b07a);
  assert.is(murmurhash3(new Uint8Array([0x21]), 0), 0x72661cf4);
  const bytes = new TextEncoder().encode('xxabcdyy');
  assert.is(murmurhash3(bytes, 0x9747b28c, 2, 6), 0xf0478627);
});

test.run();
