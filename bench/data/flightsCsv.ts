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
 * Log-odds of a delay by hour of day (00..23): lowest for the first departures of the morning,
 * rising as delays propagate through the day to an evening peak, easing overnight. Not monotone,
 * so a model that reads the hour as one linear number cannot fit it all.
 */
const HOUR_EFFECT = [0.3, 0.2, 0, -0.3, -0.6, -0.9, -0.9, -0.7, -0.5, -0.35, -0.2, -0.05, 0.05, 0.15, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.7, 0.6, 0.5, 0.4];
/** Intercept: with the effects below, about 21% of flights are delayed by more than 15 minutes. */
const BASE = -1.75;
/** The version in the cache name: a file made by an earlier generator is never reused. */
const VERSION = 'v2';

/**
 * Writes (once, then reuses) a seeded CSV shaped like flight records:
 * `date,origin,destination,delay,distance,airtime` — an ISO timestamp without offset (UTC),
 * two 3-letter codes drawn from 300 airports (skewed towards hubs), integer delay in minutes,
 * integer distance in miles, and airtime in minutes with one decimal. Returns the path. Written to
 * a temp name and renamed, so an interrupted run never leaves a truncated cache.
 *
 * The delay carries signal, so a learner has something to find. For each flight,
 *   z = BASE + HOUR_EFFECT[hour] + o[origin] + d[destination] − 0.3 · (distance − 900) / 600 + ε,
 *   o[a] = 0.7 · hub(a) + 0.45 · N(0,1),  d[a] = 0.45 · hub(a) + 0.35 · N(0,1)  (fixed per airport),
 *   hub(a) = exp(−rank(a) / 15)  (rank 0 is the busiest airport: hubs are worse, departures most),
 *   ε ~ N(0, 0.4) per flight (what no column explains);
 * the flight is delayed (delay > 15) with probability sigmoid(z): then delay = 16 + an exponential
 * number of minutes with mean 40 (the long right tail); else delay ~ N(−2, 7), rounded and capped
 * at 15 (mostly small, some early arrivals). Short flights are a little worse (less slack to make
 * up time). Day, month and airtime carry no signal. About 21% of flights are delayed. A logistic
 * fit (scikit-learn, first 80% of 300k rows, scored on the rest) on one-hot hour, origin and
 * destination plus distance reaches ROC AUC 0.712 on `delay > 15`; on hour as one number plus
 * distance, 0.610. The sizes of the effects were chosen for a ceiling of about 0.7-0.75.
 */
export function flightsCsv(options: FlightsCsvOptions = {}): string {
  const rows = options.rows ?? 3_000_000;
  const seed = options.seed ?? 42;
  const dir = options.dir ?? resolve(import.meta.dirname, '../../.bench-data');
  const path = join(dir, `flights-${VERSION}-${rows}-s${seed}.csv`);
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
  const hub = codes.map((_, a) => Math.exp(-a / 15));
  const originEffect = hub.map((h) => 0.7 * h + 0.45 * rng.normal()),
    destEffect = hub.map((h) => 0.45 * h + 0.35 * rng.normal());
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
      const hour = t.getUTCHours();
      const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(hour)}:${pad(t.getUTCMinutes())}:00`;
      const distance = Math.max(50, Math.round(Math.hypot(x[o]! - x[d]!, y[o]! - y[d]!)));
      const z = BASE + HOUR_EFFECT[hour]! + originEffect[o]! + destEffect[d]! - (0.3 * (distance - 900)) / 600 + rng.normal(0, 0.4);
      const delay = rng.float() < 1 / (1 + Math.exp(-z)) ? 16 + Math.round(-40 * Math.log(1 - rng.float())) : Math.min(15, Math.round(rng.normal(-2, 7)));
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
