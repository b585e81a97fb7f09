import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseNumber, Rng } from '../../../src/core/index.js';
import { parseNumberBytes } from '../../../src/io/csv/parseNumberBytes.js';

// The byte fast path must give exactly parseNumber's double, or NaN to hand over to it.
function check(s: string): void {
  const b = Buffer.from(`x${s}y`);
  const fast = parseNumberBytes(b, 1, b.length - 1);
  const slow = parseNumber(s);
  if (fast !== fast) return;
  assert.ok(slow !== undefined, `fast path accepted ${JSON.stringify(s)}, parseNumber rejects it`);
  assert.ok(Object.is(fast, slow), `${JSON.stringify(s)}: fast ${fast}, parseNumber ${slow}`);
}

test('edge cases agree with parseNumber', () => {
  for (const s of [
    '0',
    '-0',
    '+0',
    '1',
    '-1',
    '1.',
    '.5',
    '-.5',
    '.',
    '-',
    '+',
    '',
    '1e5',
    '1E-5',
    '1e',
    '1e+',
    '2.5e-3',
    '1.2.3',
    '12a',
    ' 1',
    '1 ',
    '0.1',
    '0.3',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '1e22',
    '1e23',
    '1.7976931348623157e308',
    '5e-324',
    '00012',
    'NaN',
    'Infinity',
    '-inf',
    '0x10',
    '1_000',
  ])
    check(s);
});

test('random decimals agree with parseNumber to the bit', () => {
  const rng = new Rng(11);
  for (let i = 0; i < 50_000; i++) {
    const digits = 1 + rng.int(17);
    let s = rng.bernoulli(0.3) ? '-' : '';
    for (let k = 0; k < digits; k++) s += String(rng.int(10));
    if (rng.bernoulli(0.7)) {
      const at = 1 + rng.int(s.length);
      s = `${s.slice(0, at)}.${s.slice(at)}`;
    }
    if (rng.bernoulli(0.2)) s += `e${rng.bernoulli(0.5) ? '-' : ''}${rng.int(30)}`;
    check(s);
  }
});

test.run();
