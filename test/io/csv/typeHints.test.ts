import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaError, SpecError } from '../../../src/core/index.js';
import { CsvParser } from '../../../src/io/index.js';
import { parseBytes, rowsOf } from './helpers.js';

const bytes = (s: string) => new TextEncoder().encode(s);

test('typeHints type the columns the input has and ignore the others; schema wins where both name one', () => {
  const { batches, books } = parseBytes(bytes('a,b,c\n1,x,2\n2,oops,3\n'), {
    typeHints: { a: 'number', b: 'number', gone: 'integer', c: 'number' },
    schema: { c: 'integer' },
  });
  const b = batches[0]!;
  assert.equal(
    b.schema.fields.map((f) => [f.name, f.type]),
    [
      ['a', 'number'],
      ['b', 'number'],
      ['c', 'integer'],
    ],
  );
  // "x" and "oops" do not fit the hinted number: both rows are bad, where inference made b a category.
  assert.is(b.length, 0);
  assert.is(books.account().skipped, 2);
  const inferred = parseBytes(bytes('a,b,c\n1,x,2\n2,oops,3\n')).batches[0]!;
  assert.is(inferred.column('b').type, 'category');
  assert.equal(rowsOf([inferred]), [
    [1, 'x', 2],
    [2, 'oops', 3],
  ]);
});

test('a schema naming an absent column is still an error; typeHints are checked like schema', () => {
  assert.throws(
    () => parseBytes(bytes('a\n1\n'), { schema: { gone: 'integer' } }),
    (e: unknown) => e instanceof SchemaError && /gone/.test(String(e)),
  );
  assert.throws(
    () => CsvParser.validate({ typeHints: { a: 'float' as never } }),
    (e: unknown) => e instanceof SpecError && /typeHints\.a/.test(String(e)),
  );
});

test('typeHints naming only some columns: those are typed, inference types the others', () => {
  const { batches, books } = parseBytes(bytes('a,b,c\n1,x,2\n2,oops,3\n'), { typeHints: { b: 'number', gone: 'integer' } });
  const b = batches[0]!;
  assert.equal(
    b.schema.fields.map((f) => [f.name, f.type]),
    [
      ['a', 'integer'],
      ['b', 'number'],
      ['c', 'integer'],
    ],
  );
  assert.is(b.length, 0);
  assert.is(books.account().skipped, 2);
});

test.run();
