import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema, SpecError } from '../../../src/core/index.js';
import { cleanString, TextCleaner } from '../../../src/features/index.js';

test('default cleaning: HTML, entities, URLs, e-mail, case, punctuation, whitespace', () => {
  assert.is(cleanString('<p>Hello,&nbsp;<b>World</b>!</p> see https://x.io/a?b=1 or www.y.com, mail me@x.org'), 'hello world see or mail');
  assert.is(cleanString('Tom &amp; Jerry&#39;s 3.5 stars'), 'tom jerry s 3 5 stars');
  assert.is(cleanString(''), '');
  assert.is(cleanString('  ¡¿  '), '');
});

test('each step is optional', () => {
  assert.is(cleanString('A <i>b</i> 42!', { lowercase: false }), 'A b 42');
  assert.is(cleanString('A <i>b</i> 42!', { stripHtml: false }), 'a i b i 42');
  assert.is(cleanString('Price: 3.50 USD', { stripNumbers: true }), 'price usd');
  assert.is(cleanString('a-b, c!', { stripPunctuation: false }), 'a-b, c!');
  assert.is(cleanString('go http://a.b now', { stripUrls: false }), 'go http a b now');
  assert.is(cleanString('Ünïcode ÇA', {}), 'ünïcode ça');
});

test('TextCleaner maps dictionary values once; missing stays missing; emptyAsMissing', () => {
  const s = Schema.from({ t: 'text' });
  const b = Batch.fromRows([{ t: '<b>Hi</b>!' }, { t: null }, { t: 'HI' }, { t: '!!' }], s);
  const out = new TextCleaner(['t']).apply(b);
  assert.equal(
    out.toRows().map((r) => r.t),
    ['hi', null, 'hi', ''],
  );
  const c = out.column('t');
  if (c.type !== 'text') throw new Error('text');
  assert.is(c.codes[0], c.codes[2], 'equal cleaned strings share a code');
  assert.equal(
    new TextCleaner(['t'], {}, true)
      .apply(b)
      .toRows()
      .map((r) => r.t),
    ['hi', null, 'hi', null],
  );
  assert.throws(
    () => new TextCleaner(['t'], { lowerCase: true } as never),
    (e: unknown) => e instanceof SpecError && e.path === 'cleanText.lowerCase',
  );
});

test.run();
