import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { charNgrams, ENGLISH_STOPWORDS, tokenize, wordNgrams } from '../../../src/features/index.js';

test('tokenize: letter/digit runs, stopwords, min length', () => {
  assert.equal(tokenize("the cat's 2 hats, don't!"), ['the', 'cat', 's', '2', 'hats', 'don', 't']);
  assert.equal(tokenize("the cat's 2 hats, don't!", { stopwords: true }), ['cat', '2', 'hats']);
  assert.equal(tokenize('a bb ccc', { minLength: 2 }), ['bb', 'ccc']);
  assert.equal(tokenize('x y', { stopwords: new Set(['x']) }), ['y']);
  assert.equal(tokenize(''), []);
  assert.is(ENGLISH_STOPWORDS.size, 179);
});

test('word n-grams', () => {
  assert.equal(wordNgrams(['a', 'b', 'c'], 1, 2), ['a', 'a b', 'b', 'b c', 'c']);
  assert.equal(wordNgrams(['a', 'b', 'c'], 2, 3), ['a b', 'a b c', 'b c']);
  assert.equal(wordNgrams([], 1, 2), []);
  assert.throws(() => wordNgrams(['a'], 2, 1), RangeError);
});

test('char n-grams within padded words', () => {
  assert.equal(charNgrams('ab cd', 3), [' ab', 'ab ', ' cd', 'cd ']);
  assert.equal(charNgrams('ab', 2, 3), [' a', 'ab', 'b ', ' ab', 'ab ']);
  assert.equal(charNgrams('', 3), []);
});

test.run();
