import { parseArgs } from 'node:util';
import { ModelRegistry, type VersionDiff, type VersionInfo, type VersionMeta } from '../registry/index.js';
import type { CliIO, Command } from './Command.js';
import { UsageError } from './UsageError.js';

const ACTIONS = ['list', 'show', 'diff', 'rollback', 'activate'] as const;
type Action = (typeof ACTIONS)[number];

/** The metric `list` shows for a task: ROC AUC for binary, accuracy for multiclass, R² for regression. */
const MAIN_METRIC: Record<string, string> = { binary: 'rocAuc', multiclass: 'accuracy', regression: 'r2' };

/** `sluice models list|show|diff|rollback|activate REG …`: the versions of a model registry. */
export const modelsCommand: Command = {
  summary: 'the versions of a model registry (train --registry): list, show, diff, roll back, activate',
  usage: [
    'Usage: sluice models list <registry> [--json]',
    '       sluice models show <registry> [version] [--json]',
    '       sluice models diff <registry> <a> <b> [--json]',
    '       sluice models rollback <registry> [--json]',
    '       sluice models activate <registry> <version> [--json]',
    '',
    'A registry is the directory sluice train --registry REG (a spec run: output.registry)',
    'publishes into: REG/v0001, REG/v0002 … each hold pipeline.json, report.json, meta.json',
    '(parent version, lineage, data fingerprint, metrics, package versions) and SHA256SUMS;',
    'REG/ACTIVE names the version sluice predict REG uses.',
    '',
    '  list      every version: created, rows read, task, main metric (rocAuc, accuracy or r2);',
    '            * marks the active one',
    '  show      a version (default the active one) after checking its files against SHA256SUMS',
    '  diff      two versions side by side: metrics with b - a, data fingerprint, task, lineage',
    "  rollback  activate the active version's parent (the version active before it was published)",
    '  activate  make a version active (after checking its files)',
    '',
    'Options:',
    '  --json      print JSON instead of text',
    '  -h, --help  this help',
  ].join('\n'),
  async run(args, io) {
    const { values: v, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (v.help) {
      io.out(this.usage);
      return 0;
    }
    const [action, dir, ...rest] = positionals;
    if (action === undefined) throw new UsageError(`expected an action: ${ACTIONS.join('|')}`);
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}": expected ${ACTIONS.join('|')}`);
    if (dir === undefined) throw new UsageError(`models ${action}: expected a registry directory`);
    const want: Record<Action, [number, number, string]> = {
      list: [0, 0, ''],
      show: [0, 1, ' [version]'],
      diff: [2, 2, ' <a> <b>'],
      rollback: [0, 0, ''],
      activate: [1, 1, ' <version>'],
    };
    const [min, max, shape] = want[action as Action];
    if (rest.length < min || rest.length > max) throw new UsageError(`models ${action}: expected <registry>${shape}, got ${positionals.slice(1).join(' ')}`);
    const registry = ModelRegistry.open(dir);
    const json = v.json === true;
    switch (action as Action) {
      case 'list':
        return list(registry, json, io);
      case 'show': {
        const version = rest[0] ?? registry.active();
        if (version === null || version === undefined) throw new UsageError(`models show: ${dir} has no active version; name one`);
        const files = registry.verify(version);
        const meta = registry.meta(version);
        const active = registry.active() === version;
        if (json) io.out(JSON.stringify({ ...meta, active, verified: files }));
        else io.out(formatMeta(meta, active, files));
        return 0;
      }
      case 'diff': {
        const d = registry.diff(rest[0]!, rest[1]!);
        io.out(json ? JSON.stringify(d) : formatDiff(d));
        return 0;
      }
      case 'rollback':
      case 'activate': {
        // activate also repairs a damaged ACTIVE: the previous version is then unknown.
        let from: string | null = null;
        try {
          from = registry.active();
        } catch (e) {
          if (action === 'rollback') throw e;
        }
        const to = action === 'rollback' ? registry.rollback() : registry.activate(rest[0]!);
        if (json) io.out(JSON.stringify({ active: to.version, previous: from }));
        else io.out(`${to.version} is active in ${dir}${from && from !== to.version ? ` (was ${from})` : ''}`);
        return 0;
      }
    }
  },
};

function list(registry: ModelRegistry, json: boolean, io: CliIO): number {
  const versions = registry.versions();
  if (json) {
    io.out(JSON.stringify(versions.map(({ version, active, meta }) => ({ ...meta, version, active }))));
    return 0;
  }
  if (versions.length === 0) {
    io.out(`${registry.dir}: no versions yet`);
    return 0;
  }
  const rows = versions.map((x: VersionInfo) => {
    const metric = x.meta.task ? MAIN_METRIC[x.meta.task] : undefined;
    const value = metric ? x.meta.metrics[metric] : undefined;
    return [
      `${x.active ? '*' : ' '} ${x.version}`,
      x.meta.created.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      x.meta.data.rows === null ? '-' : String(x.meta.data.rows),
      x.meta.task ?? '-',
      metric ? `${metric} ${fmt(value ?? null)}` : '-',
      x.meta.parent ?? '-',
    ];
  });
  io.out(table(['  version', 'created', 'rows', 'task', 'metric', 'parent'], rows));
  return 0;
}

function formatMeta(m: VersionMeta, active: boolean, files: string[]): string {
  const lines = [
    `version   ${m.version}${active ? ' (active)' : ''}`,
    `parent    ${m.parent ?? '-'}`,
    `created   ${m.created}`,
    `task      ${m.task ?? '-'}`,
    `data      ${m.data.source ?? '-'}, ${m.data.rows ?? '-'} rows read, schema sha256 ${m.data.schemaHash.slice(0, 16)}`,
    `lineage   ${lineageText(m.lineage)}`,
    `packages  sluice ${m.packages.sluice ?? '?'}, node ${m.packages.node}`,
    `verified  ${files.join(', ')} (SHA256SUMS)`,
    'metrics',
    ...Object.entries(m.metrics).map(([k, x]) => `  ${k.padEnd(10)} ${fmt(x)}`),
  ];
  if (m.test) lines.push('test', ...Object.entries(m.test).map(([k, x]) => `  ${k.padEnd(10)} ${fmt(x)}`));
  return lines.join('\n');
}

function formatDiff(d: VersionDiff): string {
  const rows = (part: VersionDiff['metrics']) => part.map((r) => [r.name, fmt(r.a), fmt(r.b), r.delta === null ? '-' : signed(r.delta)]);
  const out = [
    `task      ${d.task.a ?? '-'} | ${d.task.b ?? '-'}${d.task.same ? '' : '  (differs)'}`,
    `source    ${d.data.a.source ?? '-'} | ${d.data.b.source ?? '-'}${d.data.sameSource ? '' : '  (differs)'}`,
    `rows      ${d.data.a.rows ?? '-'} | ${d.data.b.rows ?? '-'}`,
    `schema    ${d.data.a.schemaHash.slice(0, 16)} | ${d.data.b.schemaHash.slice(0, 16)}${d.data.sameSchema ? '  (same)' : '  (differs)'}`,
    `lineage   ${lineageText(d.lineage.a)} | ${lineageText(d.lineage.b)}${d.lineage.same ? '' : '  (differs)'}`,
    `packages  ${d.packages.changed.length === 0 ? 'same' : `differ: ${d.packages.changed.join(', ')}`}`,
    '',
    table(['metric', d.a, d.b, 'b - a'], rows(d.metrics)),
  ];
  if (d.test.length > 0) out.push('', table(['test', d.a, d.b, 'b - a'], rows(d.test)));
  return out.join('\n');
}

/** A command line as typed (`train data.csv --target y …`) or a spec file's name. */
function lineageText(l: unknown): string {
  const x = l as { command?: string; args?: string[]; file?: string } | null;
  if (!x || typeof x !== 'object') return '-';
  if (Array.isArray(x.args)) return [x.command, ...x.args].join(' ');
  if (x.file) return `${x.command ?? 'run'} ${x.file}`;
  return JSON.stringify(x);
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : Number(x.toPrecision(4)).toString();
}

function signed(x: number): string {
  const s = fmt(x);
  return x > 0 ? `+${s}` : s;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
