import { formatCount } from '../core/index.js';
import { MODEL_OPTION_KINDS, type ModelState } from '../learn/index.js';
import { loadPipeline } from '../operators/index.js';
import { TreeModel } from '../trees/index.js';
import type { TuneRecord } from '../tune/index.js';
import type { CliIO } from './Command.js';

/** Features listed by importance in the table (all of them in --json). */
const TOP_FEATURES = 20;

/**
 * `sluice inspect MODEL_DIR`: what a saved pipeline (train --save, a registry or one of its
 * versions) holds: the model's kind, task, inputs, options and rows learned; for the tree kinds
 * also their size, drift resets and feature importances (split merit weighted by the rows that
 * reached the split, normalized to sum 1), named by the pipeline's feature layout.
 */
export async function inspectModel(path: string, json: boolean, io: CliIO): Promise<number> {
  const saved = await loadPipeline(path);
  try {
    const m = saved.model;
    const state: ModelState = await m.state();
    const names = saved.pipeline.vectorizer?.layout?.names ?? [];
    const name = (j: number) => names[j] ?? `x[${j}]`;
    // The options this kind takes (a resolved state records every key), the tree classes' own defaults over those given.
    const recorded = (state.tree as { learner?: { options?: Record<string, unknown>; config?: Record<string, unknown> } } | null | undefined)?.learner;
    const learner = recorded?.options ?? recorded?.config;
    const options = Object.fromEntries(
      Object.entries({ ...state.options, ...((state.options.tree as Record<string, unknown> | undefined) ?? {}), ...(learner ?? {}) }).filter(
        ([k, v]) =>
          v !== null &&
          !['tree', 'kind', 'task', 'outputs', 'inputs', 'classes', 'version'].includes(k) &&
          (!Object.hasOwn(MODEL_OPTION_KINDS, k) || MODEL_OPTION_KINDS[k]!.includes(m.kind)),
      ),
    );
    const trees = m instanceof TreeModel ? m.summary() : null;
    const importances = m instanceof TreeModel ? Array.from(m.featureImportances(), (v, j) => ({ feature: name(j), importance: v })) : null;
    importances?.sort((a, b) => b.importance - a.importance);
    const classes = saved.classes;
    // A model chosen by a race (--auto): the artifact's report holds the race's record.
    const tune = (saved.savedReport?.tune as TuneRecord | undefined) ?? null;
    if (json) {
      io.out(
        JSON.stringify({
          model: {
            kind: m.kind,
            task: m.task,
            classes,
            inputs: m.inputs,
            rows: state.step,
            options,
            ...(trees ? { trees } : {}),
            ...(importances ? { importances } : {}),
          },
          ...(tune ? { tune } : {}),
          source: saved.source,
        }),
      );
      return 0;
    }
    const lines = [
      `model     ${m.kind} (${m.task}${classes ? `: ${classes.join(', ')}` : ''}), ${formatCount(m.inputs ?? 0)} inputs, ${formatCount(state.step)} ${trees ? 'rows learned' : 'updates'}`,
      `options   ${Object.entries(options)
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ')}`,
    ];
    if (trees)
      lines.push(
        `trees     ${formatCount(trees.trees)} tree${trees.trees === 1 ? '' : 's'}, ${formatCount(trees.nodes)} nodes, ${formatCount(trees.leaves)} leaves, depth ${trees.depth}, ${formatCount(trees.resets)} drift reset${trees.resets === 1 ? '' : 's'}`,
      );
    if (importances) {
      const shown = importances.filter((f) => f.importance > 0).slice(0, TOP_FEATURES);
      lines.push('', shown.length ? `feature importances (top ${shown.length} of ${importances.length})` : 'feature importances: no split yet');
      const w = Math.max(...shown.map((f) => f.feature.length), 7);
      for (const f of shown) lines.push(`  ${f.feature.padEnd(w)}  ${f.importance.toFixed(4)}`);
    }
    if (tune) lines.push('', ...raceLines(tune));
    io.out(lines.join('\n'));
    return 0;
  } finally {
    await saved.dispose();
  }
}

/** The race that chose the model: its winner, budget and leaderboard, one line per candidate. */
function raceLines(t: TuneRecord): string[] {
  const out = [
    `tuning    ${t.finished ? 'won' : 'leading'} #${t.winner.id} ${t.winner.label} of ${t.candidates} candidates, ${formatCount(t.rows)} rows raced, budget ${t.budget} (used ${t.budgetUsed.toFixed(2)} model-costs a row)`,
    `          configuration ${JSON.stringify(t.winner.config)}`,
    '',
    'leaderboard (racing best first, then dropped, latest first)',
  ];
  const w = Math.max(...t.leaderboard.map((e) => e.label.length), 6);
  for (const e of t.leaderboard) {
    const loss = Number.isFinite(e.loss) ? e.loss.toFixed(4) : '—';
    const metric = Number.isFinite(e.metric) ? `${e.metricName} ${e.metric.toFixed(4)}` : `${e.metricName} —`;
    out.push(
      `  ${e.id === t.winner.id ? '*' : ' '}#${String(e.id).padEnd(3)} ${e.label.padEnd(w)}  loss ${loss}  ${metric}  ${formatCount(e.rows)} rows${e.dropped !== null ? `  dropped at row ${formatCount(e.dropped)}` : ''}`,
    );
  }
  return out;
}
