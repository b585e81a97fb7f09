/** One benchmark figure. Names are stable across runs so figures can be compared over time. */
export interface BenchResult {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The same measure for the in-process baseline, when there is one. */
  baseline?: number;
  /** value / baseline (or the inverse for lower-is-better units, as the suite states). */
  ratio?: number;
  /** Free-form context: adapter name, sizes, target. */
  note?: string;
}

/** Collects results; prints JSON lines (`--json`) or an aligned table line per result. */
export class Reporter {
  readonly results: BenchResult[] = [];
  constructor(private readonly json: boolean) {}

  report(r: BenchResult): void {
    this.results.push(r);
    if (this.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      const ratio = r.ratio !== undefined ? `  ratio ${fmt(r.ratio)}x` : '';
      const base = r.baseline !== undefined ? `  (baseline ${fmt(r.baseline)})` : '';
      process.stdout.write(
        `${r.suite.padEnd(9)} ${r.name.padEnd(28)} ${fmt(r.value).padStart(14)} ${r.unit.padEnd(9)}${base}${ratio}${r.note ? `  ${r.note}` : ''}\n`,
      );
    }
  }

  /** Progress and commentary: stderr, so `--json` stdout stays machine-readable. */
  log(message: string): void {
    process.stderr.write(`${message}\n`);
  }
}

function fmt(x: number): string {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(4);
}
