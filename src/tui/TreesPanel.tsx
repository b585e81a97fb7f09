import { Box, Text } from 'ink';
import { formatCount, type TreeStats } from '../core/index.js';
import { clip } from './clip.js';
import type { ModelView } from './DashboardStore.js';

export interface TreesPanelProps {
  /** Every model; those without `trees` are left out. */
  models: readonly ModelView[];
  width: number;
  /** Lines available, the title included; with one line the title carries a summary. */
  height: number;
}

interface Seg {
  text: string;
  color?: string;
  bold?: boolean;
}

/** `segs` cut to `width` cells as one string would be, each piece keeping its style. */
function fit(segs: Seg[], width: number): Seg[] {
  const full = segs.map((s) => s.text).join('');
  if (full.length <= width) return segs;
  const cut = clip(full, width);
  const out: Seg[] = [];
  let at = 0;
  for (const s of segs) {
    if (at >= cut.length) break;
    out.push({ ...s, text: cut.slice(at, at + s.text.length) });
    at += s.text.length;
  }
  return out;
}

const members = (t: TreeStats) => `${t.kind} · ${formatCount(t.trees)} tree${t.trees === 1 ? '' : 's'}`;
// A reset means drift replaced a tree or subtree: worth the eye, so it is yellow.
const resets = (t: TreeStats, text: string): Seg => (t.resets > 0 ? { text, color: 'yellow' } : { text });

/** Everything on one line, for when lines run short; resets early, so clipping keeps them. */
function summary(t: TreeStats): Seg[] {
  return [
    { text: `${members(t)} · ` },
    resets(t, `${formatCount(t.resets)} resets`),
    { text: ` · ${formatCount(t.nodes)} nodes · ${formatCount(t.leaves)} leaves · depth ${formatCount(t.depth)}` },
  ];
}

/**
 * Tree models' size: kind and member count, nodes, leaves, max depth and drift resets (trees
 * replaced under arf, subtrees under hat; yellow once there are any). Three lines per model
 * when they fit, then two, then one; models that still don't fit are cut with `+N more`. Uses
 * 4 lines for one model, 1 + n (at most `height`) for n; with one line, a one-line summary.
 */
export function TreesPanel(props: TreesPanelProps) {
  const { width } = props;
  const tm = props.models.filter((m): m is ModelView & { trees: TreeStats } => m.trees !== undefined);
  // One model is named in the title, as the confusion matrix does, unless its name is its kind.
  const title = tm.length === 1 && tm[0]!.model && tm[0]!.model !== tm[0]!.trees.kind ? `Trees (${tm[0]!.model})` : 'Trees';
  if (tm.length === 0) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{clip(title, width)}</Text>
        {props.height > 1 ? <Text color="gray">{clip('no tree model', width)}</Text> : null}
      </Box>
    );
  }
  const multi = tm.length > 1;
  // Several models: each line names its model, unless the name is just the kind shown after it.
  const name = (m: ModelView & { trees: TreeStats }) => (multi && m.model !== m.trees.kind ? `${m.model || '-'}  ` : '');
  const body = props.height - 1;
  const lines: Seg[][] = [];
  if (body <= 0) lines.push([{ text: `${title}  ${name(tm[0]!)}`, bold: true }, ...summary(tm[0]!.trees)]);
  else {
    // Models cut leave a `+N more` line, or with one line only, a note in the title.
    const shown = tm.length > body ? tm.slice(0, Math.max(1, body - 1)) : tm;
    const more = tm.length - shown.length;
    lines.push([{ text: more > 0 && body === 1 ? `${title} (+${more} more)` : title, bold: true }]);
    const per = 3 * tm.length <= body ? 3 : 2 * tm.length <= body ? 2 : 1;
    // 'drift resets' where the grid has room for it (38 cells), else 'resets'.
    const rl = width >= 38 ? 12 : 6;
    for (const m of shown) {
      const t = m.trees;
      if (per === 3) {
        lines.push([{ text: `${name(m)}${members(t)}` }]);
        lines.push([{ text: `${'nodes'.padEnd(9)} ${formatCount(t.nodes).padStart(6)}   ${'leaves'.padEnd(rl)} ${formatCount(t.leaves).padStart(6)}` }]);
        lines.push([
          { text: `${'max depth'.padEnd(9)} ${formatCount(t.depth).padStart(6)}   ` },
          resets(t, `${(rl === 12 ? 'drift resets' : 'resets').padEnd(rl)} ${formatCount(t.resets).padStart(6)}`),
        ]);
      } else if (per === 2) {
        lines.push([{ text: `${name(m)}${members(t)} · ` }, resets(t, `${formatCount(t.resets)} drift resets`)]);
        // Two-space gaps: 35 cells at most, so the 36-column metrics side holds it whole.
        lines.push([{ text: `${formatCount(t.nodes)} nodes  ${formatCount(t.leaves)} leaves  depth ${formatCount(t.depth)}` }]);
      } else lines.push([{ text: name(m) }, ...summary(t)]);
    }
    if (more > 0 && body > 1) lines.push([{ text: `+${more} more`, color: 'gray' }]);
  }
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional, rebuilt every frame.
        <Text key={i}>
          {fit(l, width).map((s, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one line, in order.
            <Text key={j} color={s.color} bold={s.bold}>
              {s.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
