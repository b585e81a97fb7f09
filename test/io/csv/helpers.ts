import { parseFile } from 'fast-csv';
import { BadRows, type Batch, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { CsvParser, type CsvParserOptions } from '../../../src/io/index.js';

/** Parses bytes with CsvParser, fed in chunks of `chunk` bytes; returns batches and books. */
export function parseBytes(data: Uint8Array, options: CsvParserOptions & { badRows?: 'skip' | 'fail'; deadLetter?: string } = {}, chunk = 1 << 20) {
  const events: TelemetryEvent[] = [];
  const telemetry = new Telemetry();
  telemetry.events$.subscribe((e) => events.push(e));
  const books = new BadRows(options.name ?? 'mem.csv', { ...options, telemetry });
  const parser = new CsvParser({ name: 'mem.csv', ...options }, books);
  const batches: Batch[] = [];
  try {
    for (let i = 0; i < data.length; i += chunk) {
      parser.push(data.subarray(i, i + chunk));
      for (let b = parser.shift(); b; b = parser.shift()) batches.push(b.batch);
    }
    parser.end();
    for (let b = parser.shift(); b; b = parser.shift()) batches.push(b.batch);
  } finally {
    books.close();
  }
  return { batches, books, parser, events };
}

/** All rows of the batches as arrays of cell values, in column order. */
export function rowsOf(batches: readonly Batch[]): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) for (let i = 0; i < b.length; i++) out.push(b.names.map((n) => b.value(n, i)));
  return out;
}

/**
 * fast-csv's rows of a file, as string arrays (no header handling: every row is data). Blank
 * lines (a row of one empty unquoted field) are dropped, as sluice does; fast-csv's own
 * `ignoreEmpty` would also drop rows of empty fields such as `,,`, which are rows.
 */
export function fastCsvRows(path: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseFile(path, { delimiter, headers: false })
      .on('data', (r: string[]) => {
        if (r.length > 1 || (r.length === 1 && r[0] !== '')) rows.push(r);
      })
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}
