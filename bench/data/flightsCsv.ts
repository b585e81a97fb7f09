import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../../src/core/index.js';

export interface FlightsCsvOptions {
  /** Rows to write (default 3M). */
  rows?: number;
  seed?: number;
  /** Cache folder (default `<repo>/.bench-data`, git-ignored). */
  dir?: string;
}

const AIRPORTS = 300;
/** ms from 2024-01-01T00:00Z over one year, in whole minutes. */
const YEAR_START = Date.UTC(2024, 0, 1);
const YEAR_MINUTES = 366 * 24 * 60;

/**
 * Writes (once, then reuses) a seeded CSV shaped like flight records:
 * `date,origin,destination,delay,distance,airtime` — an ISO timestamp without offset (UTC),
 * two 3-letter codes drawn from 300 airports (skewed towards hubs), integer delay in minutes
 * (mostly small, a long right tail, some early arrivals), integer distance in miles, and airtime
 * in minutes with one decimal. Returns the path. Written to a temp name and renamed, so an
 * interrupted run never leaves a truncated cache.
 */
export function flightsCsv(options: FlightsCsvOptions = {}): string {
  const rows = options.rows ?? 3_000_000;
  const seed = options.seed ?? 42;
  const dir = options.dir ?? resolve(import.meta.dirname, '../../.bench-data');
  const path = join(dir, `flights-${rows}-s${seed}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const codes: string[] = [];
  const seen = new Set<string>();
  while (codes.length < AIRPORTS) {
    const c = String.fromCharCode(65 + rng.int(26), 65 + rng.int(26), 65 + rng.int(26));
    if (!seen.has(c)) {
      seen.add(c);
      codes.push(c);
    }
  }
  // Airport positions on a 2500-mile square give consistent distances between pairs.
  const x = codes.map(() => rng.uniform(0, 2500)),
    y = codes.map(() => rng.uniform(0, 1500));
  const pick = () => Math.min(AIRPORTS - 1, Math.floor(AIRPORTS * rng.float() ** 2));
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, 'date,origin,destination,delay,distance,airtime\n');
    let parts: string[] = [];
    for (let i = 0; i < rows; i++) {
      const o = pick();
      let d = pick();
      if (d === o) d = (d + 1 + rng.int(AIRPORTS - 1)) % AIRPORTS;
      const t = new Date(YEAR_START + rng.int(YEAR_MINUTES) * 60_000);
      const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00`;
      const distance = Math.max(50, Math.round(Math.hypot(x[o]! - x[d]!, y[o]! - y[d]!)));
      const delay = Math.round(rng.float() < 0.2 ? Math.abs(rng.normal(30, 60)) : rng.normal(-2, 8));
      const airtime = Math.round((distance / 7.5 + 20 + rng.normal(0, 6)) * 10) / 10;
      parts.push(`${date},${codes[o]},${codes[d]},${delay},${distance},${airtime.toFixed(1)}\n`);
      if (parts.length === 65536) {
        writeSync(fd, parts.join(''));
        parts = [];
      }
    }
    writeSync(fd, parts.join(''));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}
