import { Telemetry, textLogger } from '../core/index.js';
import { synthetic } from '../operators/index.js';
import { ConceptDriftGenerator, SEAGenerator } from '../synth/index.js';

export interface DemoOptions {
  rows: number;
  seed: number;
  batchSize: number;
  /** Summary lines (default: stdout). */
  out?: (line: string) => void;
  /** Progress lines (default: stderr). */
  err?: (line: string) => void;
  /** Gap between summary lines (default 1000 ms). */
  summaryMs?: number;
  /** Aborting ends the stream early; the final summary still prints. */
  signal?: AbortSignal;
}

export interface DemoResult {
  rows: number;
  seconds: number;
  interrupted: boolean;
  /** Rows drawn from the second concept (SEA function 3). */
  fromB: number;
}

/**
 * The built-in live demo: SEA concepts drifting gradually from function 1 (θ = 8) to
 * function 3 (θ = 7) around mid-stream, 10% label noise. Prints textLogger progress on stderr
 * and, every second, a summary of the recent window on stdout: throughput, class balance, how
 * much of the window came from the new concept and how well the labels agree with each concept.
 */
export function demo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const err = options.err ?? ((l: string) => process.stderr.write(l + '\n'));
  const { rows, seed, batchSize } = options;
  // Width a tenth of the stream: the changeover (10% → 90% new concept) spans about 11% of it.
  const position = Math.floor(rows / 2), width = Math.max(1, Math.floor(rows / 10));
  const drift = new ConceptDriftGenerator(
    new SEAGenerator({ function: 1, noise: 0.1, seed }),
    new SEAGenerator({ function: 3, noise: 0.1, seed: seed + 1 }),
    { position, width, seed: seed + 2 },
  );
  const telemetry = new Telemetry();
  const logger = textLogger({ telemetry, write: err });
  out(`sluice demo: SEA concept 1 (x1+x2 > 8) drifting to concept 3 (x1+x2 > 7) around row ${position} (width ${width}), 10% label noise, ${rows} rows, seed ${seed}`);

  const started = performance.now();
  let total = 0, totalOnes = 0;
  // Window since the last summary line.
  let wRows = 0, wOnes = 0, wAgree1 = 0, wAgree3 = 0, wFromB = 0, wStart = started;

  const summary = () => {
    const now = performance.now();
    const fromB = drift.fromB - wFromB;
    const pct = (x: number) => (wRows > 0 ? (100 * x / wRows).toFixed(1) : '-') + '%';
    const concept = fromB * 2 > wRows ? 'concept 3' : 'concept 1';
    out(`rows=${fmt(total)} ${(100 * total / rows).toFixed(0)}% ${fmt(wRows / ((now - wStart) / 1000))} rows/s | window ${fmt(wRows)}: class1 ${pct(wOnes)}, from concept 3 ${pct(fromB)}, labels agree c1 ${pct(wAgree1)} c3 ${pct(wAgree3)} → ${concept}`);
    wRows = wOnes = wAgree1 = wAgree3 = 0; wFromB = drift.fromB; wStart = now;
  };

  return new Promise<DemoResult>((resolve, reject) => {
    let finished = false;
    const timer = setInterval(summary, options.summaryMs ?? 1000);
    const finish = (interrupted: boolean, error?: unknown) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
      logger.unsubscribe();
      if (error !== undefined) { reject(error); return; }
      if (wRows > 0) summary();
      const seconds = (performance.now() - started) / 1000;
      out(`${interrupted ? 'interrupted' : 'done'}: ${total} rows in ${seconds.toFixed(1)} s (${fmt(total / Math.max(seconds, 1e-9))} rows/s); class1 ${(100 * totalOnes / Math.max(total, 1)).toFixed(1)}%; ${drift.fromB} rows (${(100 * drift.fromB / Math.max(total, 1)).toFixed(1)}%) from concept 3`);
      resolve({ rows: total, seconds, interrupted, fromB: drift.fromB });
    };
    const sub = synthetic(drift, { rows, batchSize, telemetry, name: 'sea-drift' }).subscribe({
      next: (b) => {
        const x1 = b.column('attrib1'), x2 = b.column('attrib2'), y = b.column('class');
        if (x1.type !== 'number' || x2.type !== 'number' || y.type !== 'integer') return;
        let ones = 0, agree1 = 0, agree3 = 0;
        for (let i = 0; i < b.length; i++) {
          const s = x1.values[i]! + x2.values[i]!, c = y.values[i]!;
          ones += c;
          if (c === (s > 8 ? 1 : 0)) agree1++;
          if (c === (s > 7 ? 1 : 0)) agree3++;
        }
        total += b.length; totalOnes += ones;
        wRows += b.length; wOnes += ones; wAgree1 += agree1; wAgree3 += agree3;
      },
      error: (e) => finish(false, e),
      complete: () => finish(false),
    });
    const onAbort = () => { sub.unsubscribe(); finish(true); };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n));
}
