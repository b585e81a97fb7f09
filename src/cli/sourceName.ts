import type { Spec } from '../pipeline/index.js';

/** The input a spec reads, as errors name it. */
export function sourceName(spec: Spec): string {
  const s = spec.source;
  const file = s.csv ?? s.arrow ?? s.parquet ?? s.ndjson ?? s.json;
  if (file !== undefined) return file;
  if (s.tcp) return `tcp://${s.tcp.connect ?? `${s.tcp.host ?? '0.0.0.0'}:${s.tcp.listen}`}`;
  if (s.websocket) return s.websocket;
  return 'synthetic';
}
