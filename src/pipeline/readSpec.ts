import { readFileSync } from 'node:fs';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { SourceError, SpecError } from '../core/index.js';
import type { Spec } from './Spec.js';
import { SpecErrors } from './SpecErrors.js';
import { validateSpec } from './validateSpec.js';

/**
 * Reads and validates a YAML or JSON spec file (JSON is read as YAML 1.2, so both get line
 * numbers). Throws SourceError for a missing file and SpecErrors listing every problem, each
 * with its key path and `(file:line)`.
 */
export function readSpec(file: string, edit?: (raw: unknown) => unknown): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(
      file,
      code === 'ENOENT' ? 'no such spec file' : code === 'EISDIR' ? 'is a directory, expected a spec file' : `cannot read: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return parseSpec(text, file, edit);
}

/** Parses and validates spec text; `file` names it in messages; `edit` changes the parsed value first (`--set`). */
export function parseSpec(text: string, file = 'spec', edit?: (raw: unknown) => unknown): Spec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecErrors(
      file,
      doc.errors.map((e) => {
        const line = e.pos ? lineCounter.linePos(e.pos[0]).line : undefined;
        return new SpecError('(syntax)', `${e.message.split('\n')[0]}${line ? ` (${file}:${line})` : ''}`);
      }),
    );
  }
  const parsed = toJS(doc, file);
  const raw = edit ? edit(parsed) : parsed;
  const problems = validateSpec(raw ?? undefined);
  if (problems.length > 0) {
    const lines = new Map<string, number>();
    collectLines(doc.contents as Node | null, '', lines, lineCounter);
    // In file order; the location goes at the end of the first line (expression errors add a caret line).
    const located = problems.map((p, i) => ({ p, i, line: lineOf(p.path, lines) ?? Infinity }));
    located.sort((a, b) => a.line - b.line || a.i - b.i);
    throw new SpecErrors(
      file,
      located.map(({ p, line }) => {
        if (line === Infinity) return p;
        const [first, ...rest] = p.message.slice(p.path.length + 2).split('\n');
        return new SpecError(p.path, [`${first} (${file}:${line})`, ...rest].join('\n'));
      }),
    );
  }
  return raw as Spec;
}

/**
 * Alias expansions allowed when a document becomes values (the yaml default, made explicit): a
 * spec reuses an anchor a few times; ten nested lists of ten aliases ("billion laughs") expand
 * to 10^10 nodes and would exhaust memory.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain values. A `__proto__` key becomes an own property (yaml defines it, never
 * assigns it), so no prototype is set; validateSpec then refuses it with its key path.
 */
function toJS(doc: Document.Parsed, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // yaml throws a ReferenceError ("Excessive alias count ...") past the limit.
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new SpecErrors(file, [
        new SpecError(
          '(aliases)',
          `${file} expands more than ${MAX_ALIAS_COUNT} YAML aliases: nested aliases grow a document exponentially ("billion laughs"); write the values out or reuse fewer anchors`,
        ),
      ]);
    }
    throw e;
  }
}

function collectLines(node: Node | null, path: string, out: Map<string, number>, lc: LineCounter): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null) continue;
      const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
      const p = path === '' ? k : `${path}.${k}`;
      const range = (pair.key as Node).range;
      if (range) out.set(p, lc.linePos(range[0]).line);
      collectLines(pair.value as Node | null, p, out, lc);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = `${path}[${i}]`;
      const range = (item as Node).range;
      if (range) out.set(p, lc.linePos(range[0]).line);
      collectLines(item as Node, p, out, lc);
    });
  }
}

/** Line of the path, or of its nearest ancestor present in the file (a missing key: its parent). */
function lineOf(path: string, lines: Map<string, number>): number | undefined {
  for (let p = path; p !== ''; p = p.replace(/(\.[^.[\]]+|\[\d+\]|^[^.[\]]+)$/, '')) {
    const l = lines.get(p);
    if (l !== undefined) return l;
    if (!/(\.[^.[\]]+|\[\d+\]|^[^.[\]]+)$/.test(p)) break;
  }
  return undefined;
}
