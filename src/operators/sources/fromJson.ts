import type { Observable } from 'rxjs';
import type { Batch } from '../../core/index.js';
import { JsonArrayReader } from '../../io/index.js';
import { fromNdjson, type NdjsonOptions } from './fromNdjson.js';

/** Options of `fromJson`: those of `fromNdjson` (`maxLineBytes` bounds one array element). */
export type JsonOptions = Omit<NdjsonOptions, 'split'>;

/**
 * A JSON file (gzip sniffed; `-` for stdin) as a bounded stream of Batches: a top-level array of
 * objects is read element by element (JsonArrayReader), never parsed whole; a file that does not
 * start with `[` is read as NDJSON. Rows are built as by `fromNdjson`, with the same schema
 * inference, bad rows (an element that is not an object is skipped as `json`, with the line and
 * column where it starts) and dead letter.
 */
export function fromJson(path: string, options: JsonOptions = {}): Observable<Batch> {
  return fromNdjson(path, { ...options, split: (sink, max) => new JsonArrayReader(sink, max) });
}
