import { type Column, SpecError } from '../core/index.js';
import type { Task } from '../learn/index.js';

export interface ChooseTaskOptions {
  /** The target column's name, for messages. */
  column: string;
  /** `--task` / spec `task`. */
  task?: 'classification' | 'regression' | undefined;
  /** The model kind asked for (logistic, softmax and svm classify; linear regresses). */
  model?: string | undefined;
  /** The model's `classes` option: a class count, labels 0..classes−1. */
  classes?: number | undefined;
  /** `--positive` / spec `positive`: the class that counts as positive (binary). */
  positive?: string | undefined;
  /** Key paths in errors (default `task` and `positive`). */
  taskPath?: string;
  positivePath?: string;
  /** The first batch's source lines, to name the row of a bad label. */
  lines?: ArrayLike<number> | null;
}

export interface TaskChoice {
  task: Task;
  /**
   * Class labels by class index (null for regression). Sorted, so the order does not depend on
   * the rows' order: numbers ascending, strings by code point, false before true. In a binary
   * task the positive class is the second.
   */
  classes: string[] | null;
  /** The positive class of a binary task (null otherwise). */
  positive: string | null;
  /** How the positive class was picked: `--positive`, a negative-sounding other label, or the sort order. */
  positiveRule: 'option' | 'negative word' | 'last in order' | null;
  /** Regression: the first batch's target mean and standard deviation (the model learns (y − mean) / std). */
  targetScale: { mean: number; std: number } | null;
  /** Why this task, one phrase (`integer target with 3 distinct values`). */
  reason: string;
}

/**
 * Integer targets with at most this many distinct values (and at most one per two rows) in the
 * first batch are classes: labels such as 0/1, 0..9 digits or 1..5 ratings. Beyond, the values
 * look like a count or a measurement. The half-the-rows bound keeps a short first batch of a
 * measured quantity (5 rows, 5 values) from being read as 5 classes.
 */
export const MAX_AUTO_CLASSES = 20;

/** Models that only classify, and the one that only regresses. */
const CLASSIFIERS = new Set(['logistic', 'softmax', 'svm']);
const REGRESSORS = new Set(['linear']);

/**
 * Labels that name the absence of the thing: in a binary task the other label is positive
 * (spam of ham, malignant of benign, churn of "no churn"). Lower case; also any label that
 * starts with "no " / "not " / "non-" / "non ".
 */
const NEGATIVE_WORDS = new Set([
  '0',
  'false',
  'f',
  'no',
  'n',
  'none',
  'negative',
  'neg',
  'normal',
  'benign',
  'ham',
  'other',
  'off',
  'absent',
  'fail',
  'failure',
]);

/**
 * The train command's task decision, from the first batch's target column and the user's
 * options: task (binary, multiclass or regression), classes in a row-order-free order, the
 * positive class of a binary task, and the target scale of a regression.
 *
 * - `--task` wins; else the model kind (logistic, softmax, svm classify; linear regresses); else
 *   the target's type: category, text and boolean targets are classes, numbers regress, except
 *   integer-valued numbers with few distinct values (MAX_AUTO_CLASSES) which are classes.
 * - Binary positive class: `--positive` when given (an unknown value is a SpecError naming the
 *   classes); else, when exactly one label is a negative word (no, false, 0, benign, ham, …), the
 *   other one; else the later label in the sorted order (1 of 0/1, true, yes, the larger number).
 */
export function chooseTask(target: Column, length: number, o: ChooseTaskOptions): TaskChoice {
  const taskPath = o.taskPath ?? 'task',
    positivePath = o.positivePath ?? 'positive';
  const present = (i: number) => !target.validity || ((target.validity[i >> 3]! >> (i & 7)) & 1) === 1;
  const numeric = target.type === 'number' || target.type === 'integer';
  let reason: string;
  let classification: boolean;
  let distinct: Set<number> | null = null;
  if (numeric) {
    distinct = new Set();
    let finite = 0,
      integral = true;
    for (let i = 0; i < length; i++) {
      const y = target.values[i]!;
      if (!present(i) || !Number.isFinite(y)) continue;
      finite++;
      if (!Number.isInteger(y)) integral = false;
      else if (distinct.size <= MAX_AUTO_CLASSES) distinct.add(y);
    }
    const few = integral && distinct.size <= MAX_AUTO_CLASSES && distinct.size * 2 <= finite && distinct.size >= 2;
    if (o.task) {
      classification = o.task === 'classification';
      reason = `${taskPath} ${o.task}`;
    } else if (o.model && CLASSIFIERS.has(o.model)) {
      classification = true;
      reason = `model ${o.model}`;
    } else if (o.model && REGRESSORS.has(o.model)) {
      classification = false;
      reason = `model ${o.model}`;
    } else {
      classification = few;
      reason = few
        ? `integer target with ${distinct.size} distinct values in the first ${length} rows (at most ${MAX_AUTO_CLASSES}: classes)`
        : integral && finite > 0
          ? `integer target with ${distinct.size > MAX_AUTO_CLASSES ? `over ${MAX_AUTO_CLASSES}` : distinct.size} distinct values in the first ${length} rows (a quantity)`
          : 'numeric target';
    }
    if (classification && !integral) {
      // Real-valued labels are not classes: a usage error, found on the first batch.
      for (let i = 0; i < length; i++) {
        const y = target.values[i]!;
        if (present(i) && Number.isFinite(y) && !Number.isInteger(y)) {
          const line = o.lines ? ` (line ${o.lines[i]})` : '';
          throw new SpecError(
            o.task === 'classification' ? taskPath : 'model',
            `classification needs class labels, but target "${o.column}" has the real value ${y}${line}; use regression, or a target expression such as "${o.column} > ${y}"`,
          );
        }
      }
    }
  } else if (target.type === 'boolean' || target.type === 'category' || target.type === 'text') {
    if (o.task === 'regression' || (o.model && REGRESSORS.has(o.model) && o.task === undefined))
      throw new SpecError(
        o.task === 'regression' ? taskPath : 'model',
        `regression needs a numeric target, but "${o.column}" is a ${target.type} column; use classification, or a numeric target expression`,
      );
    classification = true;
    reason = `${target.type} target`;
  } else {
    throw new SpecError('target', `"${o.column}" is a ${target.type} column, which cannot be learned; give a number, integer, boolean or category target`);
  }

  if (!classification) {
    const scale = targetScale(target as Extract<Column, { type: 'number' | 'integer' }>, length, present);
    return { task: 'regression', classes: null, positive: null, positiveRule: null, targetScale: scale, reason };
  }

  // Class labels, sorted so that their order is not the order the rows came in.
  let classes: string[];
  if (target.type === 'boolean') classes = ['false', 'true'];
  else if (numeric && o.classes !== undefined) classes = Array.from({ length: o.classes }, (_, k) => String(k));
  else if (numeric) {
    if (distinct!.size > MAX_AUTO_CLASSES) {
      // Forced classification of many values: every value of the first batch.
      distinct = new Set();
      for (let i = 0; i < length; i++) if (present(i) && Number.isFinite(target.values[i]!)) distinct.add(target.values[i]!);
    }
    // One value so far (0 or 1): its partner is the other, so the task stays binary.
    if (distinct!.size <= 1 && [...distinct!].every((y) => y === 0 || y === 1)) distinct = new Set([0, 1]);
    classes = [...distinct!].sort((a, b) => a - b).map(String);
  } else {
    const t = target as Extract<Column, { type: 'category' | 'text' }>;
    const seen = new Set<string>();
    for (let i = 0; i < length; i++) if (present(i) && t.codes[i]! >= 0) seen.add(t.dictionary.get(t.codes[i]!));
    // Code-point order (not localeCompare): the same on every machine and locale.
    classes = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  const binary = classes.length <= 2 && o.model !== 'softmax';
  if (!binary) {
    if (o.positive !== undefined)
      throw new SpecError(positivePath, `a positive class applies to a binary task; target "${o.column}" has ${classes.length} classes: ${list(classes)}`);
    return { task: 'multiclass', classes, positive: null, positiveRule: null, targetScale: null, reason };
  }
  let rule: TaskChoice['positiveRule'];
  if (o.positive !== undefined) {
    const want = normalize(o.positive, target.type);
    const k = classes.indexOf(want);
    if (k < 0)
      throw new SpecError(
        positivePath,
        `"${o.positive}" is not a class of target "${o.column}"; the classes seen in the first ${length} rows are ${list(classes)}`,
      );
    if (k === 0 && classes.length === 2) classes = [classes[1]!, classes[0]!];
    rule = 'option';
  } else if (!numeric && target.type !== 'boolean' && classes.length === 2 && isNegative(classes[0]!) !== isNegative(classes[1]!)) {
    if (isNegative(classes[1]!)) classes = [classes[1]!, classes[0]!];
    rule = 'negative word';
  } else rule = 'last in order';
  return { task: 'binary', classes, positive: classes[classes.length - 1] ?? null, positiveRule: rule, targetScale: null, reason };
}

/** Mean and standard deviation of the finite values (std 1 when they do not vary). */
function targetScale(t: Extract<Column, { type: 'number' | 'integer' }>, length: number, present: (i: number) => boolean): { mean: number; std: number } {
  let n = 0,
    mean = 0,
    m2 = 0;
  for (let i = 0; i < length; i++) {
    const y = t.values[i]!;
    if (!present(i) || !Number.isFinite(y)) continue;
    n++;
    const d = y - mean;
    mean += d / n;
    m2 += d * (y - mean);
  }
  const std = n > 1 ? Math.sqrt(m2 / n) : 0;
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

function isNegative(label: string): boolean {
  const s = label.trim().toLowerCase();
  return NEGATIVE_WORDS.has(s) || /^(no|not|non)[ -_]/.test(s);
}

/** A --positive value as the class labels spell it: numbers in canonical form (1.0 → 1), booleans as false/true. */
function normalize(v: string, type: Column['type']): string {
  if (type === 'number' || type === 'integer') {
    const x = Number(v);
    return v.trim() !== '' && Number.isFinite(x) ? String(x) : v;
  }
  if (type === 'boolean') {
    const s = v.trim().toLowerCase();
    return ['1', 'true', 'yes', 't', 'y'].includes(s) ? 'true' : ['0', 'false', 'no', 'f', 'n'].includes(s) ? 'false' : v;
  }
  return v;
}

function list(classes: readonly string[]): string {
  const shown = classes.slice(0, 20).map((c) => JSON.stringify(c));
  return `${shown.join(', ')}${classes.length > 20 ? `, … (${classes.length})` : ''}`;
}

/** The choice in one line (stderr, the dashboard's log): task, why, classes and the positive class, or the target scale. */
export function describeChoice(c: TaskChoice): string {
  if (c.task === 'regression') {
    const s = c.targetScale;
    return `task: regression (${c.reason})${s ? `; target scaled internally by mean ${round(s.mean)}, std ${round(s.std)}` : ''}`;
  }
  const classes = c.classes ?? [];
  const shown = classes.length > 12 ? `${classes.slice(0, 12).join(', ')}, … (${classes.length})` : classes.join(', ');
  if (c.task === 'multiclass') return `task: multiclass, ${classes.length} classes (${c.reason}): ${shown}`;
  const why =
    c.positiveRule === 'option' ? 'as asked' : c.positiveRule === 'negative word' ? 'the other label reads as negative' : 'the later label in sorted order';
  return `task: binary (${c.reason}); classes ${shown}; positive class "${c.positive}" (${why}${c.positiveRule === 'option' ? '' : '; --positive changes it'})`;
}

function round(x: number): string {
  return Number(x.toPrecision(6)).toString();
}
