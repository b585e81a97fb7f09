import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Schema as ArrowSchema, type Data, makeData, RecordBatch, RecordBatchFileWriter, Struct, type Vector } from 'apache-arrow';
import { batchToArrow } from '../../src/core/index.js';
import { csvBatches, openInput } from '../../src/io/index.js';
import { type FlightsCsvOptions, flightsCsv } from './flightsCsv.js';

/** The flights columns with their types, as the benchmarks read them. */
const FLIGHT_TYPES = { date: 'datetime', origin: 'category', destination: 'category', delay: 'integer', distance: 'integer', airtime: 'number' } as const;

/**
 * Writes (once, then reuses) the same data as `flightsCsv` as an Arrow IPC file next to it:
 * datetime → timestamp ms, airports → dictionary<int32, utf8>, delay/distance → int32,
 * airtime → float64, in record batches of 32768 rows. Made by parsing the CSV batch by batch
 * and streaming the record batches out, so it never holds the whole table.
 */
export async function flightsArrow(options: FlightsCsvOptions = {}): Promise<string> {
  const csv = flightsCsv(options);
  const path = csv.replace(/\.csv$/, '.arrow');
  if (existsSync(path)) return path;
  const tmp = `${path}.${process.pid}.tmp`;
  const input = await openInput(csv);
  let schema: ArrowSchema | null = null;
  const dicts: Array<Vector | undefined> = [];
  async function* recordBatches() {
    for await (const { batch } of csvBatches(input.chunks, { name: csv, schema: FLIGHT_TYPES, batchSize: 32768 })) {
      const rb = batchToArrow(batch);
      // batchToArrow gives every dictionary column a fresh dictionary id; an IPC writer needs one
      // schema for the whole file, so later batches are restamped with the first batch's types.
      // The file format also forbids replacing a dictionary, so the first batch's dictionaries are
      // reused; all 300 airports occur in the first 32768 rows, which the length check confirms.
      schema ??= rb.schema;
      const s = schema;
      const children = rb.data.children.map((c: Data, k: number) => {
        if (c.dictionary) {
          dicts[k] ??= c.dictionary;
          if (dicts[k]!.length !== c.dictionary.length) throw new Error(`${s.fields[k]!.name}: dictionary grew after the first record batch`);
        }
        return makeData({ ...c, type: s.fields[k]!.type, nullBitmap: c.nullBitmap, data: c.values, dictionary: dicts[k] } as never);
      });
      yield new RecordBatch(s, makeData({ type: new Struct(s.fields), length: rb.numRows, nullCount: 0, children }));
    }
  }
  try {
    await pipeline(Readable.from(recordBatches()), RecordBatchFileWriter.throughNode(), createWriteStream(tmp));
  } finally {
    input.close();
  }
  renameSync(tmp, path);
  return path;
}
