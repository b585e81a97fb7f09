import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../../src/core/index.js';
import { fastCsvRows, parseBytes, rowsOf } from './helpers.js';

// A corpus of tricky files, each parsed by fast-csv (the reference) and by sluice with every
// column read as text, fed in chunk sizes that cut through quotes, CRLFs and multi-byte characters.
const dir = mkdtempSync(join(tmpdir(), 'sluice-csv-diff-'));
const rng = new Rng(7);
const long = Array.from({ length: 120_000 }, () => 'abcdefghij, "\n'[rng.int(14)]).join('');

interface Case {
  name: string;
  text: string;
  delimiter?: string;
  bom?: boolean;
  chunks?: number[];
}
const corpus: Case[] = [
  { name: 'quotes', text: 'a,b,c\n"x, y",plain,"quoted"\n"",",","a""b"\n' },
  { name: 'doubled-quotes', text: 'q\n""""\n"a""""b"\n"""start"\n"end"""\n' },
  { name: 'embedded-lf', text: 'id,note\n1,"line one\nline two"\n2,"three\n\nlines"\n3,x\n' },
  { name: 'embedded-crlf', text: 'id,note\r\n1,"a\r\nb"\r\n2,"c\r\n\r\nd"\r\n' },
  { name: 'crlf-endings', text: 'a,b\r\n1,2\r\n3,4\r\n' },
  { name: 'cr-endings', text: 'a,b\r1,2\r3,4\r' },
  { name: 'bom', text: 'name,v\nalpha,1\nbeta,2\n', bom: true },
  { name: 'semicolon', text: 'a;b;c\n1,5;"x;y";z\n;;\n', delimiter: ';' },
  // Not ' \t ': fast-csv empties a whitespace-only *first* field (its getStartToken), sluice keeps it.
  { name: 'tab', text: 'a\tb\n"x\ty"\tz\na b\t \n', delimiter: '\t' },
  { name: 'no-header', text: '1,2,3\n4,5,6\n' },
  { name: 'empty-fields', text: 'a,b,c\n,,\n1,,\n,,3\n"",x,""\n' },
  { name: 'no-trailing-newline', text: 'a,b\n1,2\n3,4' },
  { name: 'trailing-delimiter-eof', text: 'a,b\n1,\n3,' },
  { name: 'blank-lines', text: 'a,b\n1,2\n\n3,4\n\n' },
  { name: 'unicode', text: 'ville,mot\nZürich,naïve\n東京,"日本語, テキスト"\nemoji,"😀🚀"\nКиев,ёж\n' },
  { name: 'long-field', text: `k,v\n1,"${long.replaceAll('"', '""')}"\n2,${'z'.repeat(100_000)}\n`, chunks: [997, 65536, 1 << 20] },
  { name: 'whitespace', text: 'a,b,c\n  x  , "y"  ,  "z"\n\t1\t,2 , 3\n' },
  { name: 'literal-quote-mid-field', text: 'a,b\nab"c,5"6\nx"",y\n' },
  {
    name: 'wide',
    text:
      Array.from({ length: 50 }, (_, r) => Array.from({ length: 200 }, (_, c) => ((r + c) % 7 === 0 ? `"${r},${c}"` : `${r}.${c}`)).join(',')).join('\n') +
      '\n',
  },
];

for (const c of corpus) {
  test(`matches fast-csv: ${c.name}`, async () => {
    const path = join(dir, `${c.name}.csv`);
    const bytes = Buffer.concat([c.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(c.text, 'utf8')]);
    writeFileSync(path, bytes);
    const delimiter = c.delimiter ?? ',';
    const expected = await fastCsvRows(path, delimiter);
    // fast-csv keeps a BOM in the first field; sluice skips it (documented).
    if (c.bom) expected[0]![0] = expected[0]![0]!.replace(/^\uFEFF/, '');
    assert.ok(expected.length > 0);
    const width = expected[0]!.length;
    const schema = Object.fromEntries(Array.from({ length: width }, (_, k) => [`col${k + 1}`, 'text' as const]));
    for (const chunk of c.chunks ?? [1, 3, 7, 64, 1 << 16]) {
      const { batches, books } = parseBytes(readFileSync(path), { delimiter, header: false, schema, nullValues: [], batchSize: 4 }, chunk);
      assert.equal(rowsOf(batches), expected, `chunk size ${chunk}`);
      assert.is(books.skipped, 0);
      assert.is(books.read, expected.length);
    }
    // With a header, the names are fast-csv's first row and the data the rest.
    const { batches, parser } = parseBytes(
      readFileSync(path),
      { delimiter, nullValues: [], schema: Object.fromEntries(expected[0]!.map((n) => [n, 'category' as const])) },
      5,
    );
    assert.equal(parser.schema?.names, expected[0]);
    assert.equal(rowsOf(batches), expected.slice(1));
  });
}

test('line numbers count physical lines; a row with embedded newlines starts at its first line', () => {
  const { batches } = parseBytes(Buffer.from('id,note\n1,"a\nb\nc"\n\n2,x\r\n3,"\r\n"\n4,y\n'), { nullValues: [] }, 2);
  assert.equal([...batches.flatMap((b) => [...b.lines!])], [2, 6, 7, 9]);
  assert.equal([...batches.flatMap((b) => [...b.rowIds])], [0, 1, 2, 3]);
});

test.run();
