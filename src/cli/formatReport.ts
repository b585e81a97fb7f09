import type { Report } from './Report.js';

/** The report for people: a few lines on stdout (`--json` prints the object instead). */
export function formatReport(r: Report): string {
  const reasons = Object.entries(r.rows.skippedByReason)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const metric = (m: Record<string, number | null>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v === null ? '-' : v.toFixed(4)}`)
      .join('  ');
  return [
    `rows: read ${r.rows.read}, trained ${r.rows.trained}${r.rows.heldOut ? `, held out ${r.rows.heldOut}` : ''}, skipped ${r.rows.skipped}${reasons ? ` (${reasons})` : ''}`,
    ...(Object.keys(r.metrics).length ? [`progressive: ${metric(r.metrics)}`] : []),
    ...(r.rolling ? [`last ${r.rolling.window} rows: ${metric(r.rolling.values)}`] : []),
    ...(r.diverged
      ? [`diverged: ${r.diverged.reason}${r.diverged.restoredAtRow !== null ? `; restored the model of row ${r.diverged.restoredAtRow}` : ''}`]
      : []),
    ...(r.drift
      ? [
          `drift (${r.drift.detector}, ${r.drift.policy}): ${r.drift.warnings} warnings, ${r.drift.drifts} drifts${r.drift.drifts ? ` (first at row ${r.drift.driftRows[0]})` : ''}; ${r.drift.resets} resets, ${r.drift.swaps} swaps, ${r.drift.backgroundStarts} background models started`,
        ]
      : []),
    ...(r.dataDrift
      ? [
          `data drift (against ${r.dataDrift.reference}): ${r.dataDrift.alerts} alerts in ${r.dataDrift.rows} rows; now drifted: ${
            Object.entries(r.dataDrift.columns)
              .filter(([, v]) => v !== 'none')
              .map(([c, v]) => `${c} (${v})`)
              .join(', ') || 'none'
          }${r.dataDrift.notCompared ? `; not compared: ${Object.keys(r.dataDrift.notCompared).join(', ')}` : ''}`,
        ]
      : []),
    ...(r.test ? [`test${r.testRows !== undefined ? ` (${r.testRows} rows)` : ''}: ${metric(r.test)}`] : []),
    `${Math.round(r.rowsPerSecond)} rows/s, ${r.elapsedSeconds.toFixed(1)} s${r.backend ? `, backend ${r.backend}${r.adapter ? ` (${r.adapter})` : ''}` : ''}, peak RSS ${r.peakRssMB.toFixed(0)} MB`,
  ].join('\n');
}
