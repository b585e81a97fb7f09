import { SpecError } from '../core/index.js';
import { DRIFT_DETECTORS, type DriftDetectorKind } from './DRIFT_DETECTORS.js';
import { DRIFT_POLICIES, type DriftPolicy } from './DRIFT_POLICIES.js';
import type { DriftDetector } from './DriftDetector.js';
import { makeDriftDetector } from './makeDriftDetector.js';

/** A detector as a spec or the CLI names it: `adwin`, `page-hinkley` or `pageHinkley`, or `{ adwin: { delta: 0.001 } }`. */
export type DriftDetectorSpec = string | Partial<Record<DriftDetectorKind, Record<string, unknown>>>;

/** Error drift of a pipeline's model: the spec's `drift` key, the CLI's `--drift` and `--on-drift`. */
export interface DriftSpec {
  /** Default adwin. */
  detector?: DriftDetectorSpec;
  /** Default alert. */
  onDrift?: DriftPolicy;
}

/** A checked DriftSpec: `make()` builds a fresh detector (one per run). */
export interface ResolvedDriftSpec {
  kind: DriftDetectorKind;
  options: Record<string, unknown>;
  onDrift: DriftPolicy;
  make(): DriftDetector;
}

/** The CLI's spellings (as bench names them) for the camelCase kinds. */
const ALIASES: Record<string, DriftDetectorKind> = { 'page-hinkley': 'pageHinkley', 'hddm-a': 'hddmA', 'hddm-w': 'hddmW' };

/** Every name a detector answers to, for messages. */
export const DRIFT_DETECTOR_NAMES: readonly string[] = ['adwin', 'page-hinkley', 'ddm', 'eddm', 'hddm-a', 'hddm-w', 'kswin'];

/**
 * Checks a DriftSpec (SpecError at `path.detector`, `path.onDrift` or the detector's option) and
 * resolves the detector. Page-Hinkley watching a model's error looks for rises only (`mode: up`)
 * unless told otherwise: a falling error is no reason to adapt.
 */
export function readDriftSpec(spec: DriftSpec, path = 'drift'): ResolvedDriftSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new SpecError(path, `expected { detector, onDrift }, got ${JSON.stringify(spec)}`);
  for (const k of Object.keys(spec))
    if (k !== 'detector' && k !== 'onDrift') throw new SpecError(`${path}.${k}`, 'unknown key; a drift section takes detector and onDrift');
  const onDrift = spec.onDrift ?? 'alert';
  if (!DRIFT_POLICIES.includes(onDrift)) throw new SpecError(`${path}.onDrift`, `expected one of ${DRIFT_POLICIES.join('|')}, got ${JSON.stringify(onDrift)}`);
  const d = spec.detector ?? 'adwin';
  let name: string,
    options: Record<string, unknown> = {};
  if (typeof d === 'string') name = d;
  else if (d !== null && typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 1) {
    name = Object.keys(d)[0]!;
    const o = (d as Record<string, unknown>)[name];
    if (o !== null && o !== undefined && (typeof o !== 'object' || Array.isArray(o)))
      throw new SpecError(`${path}.detector.${name}`, `expected an object of options, got ${JSON.stringify(o)}`);
    options = { ...((o as Record<string, unknown> | null) ?? {}) };
  } else throw new SpecError(`${path}.detector`, `expected a detector name or { name: { options } }, got ${JSON.stringify(d)}`);
  const kind = ALIASES[name] ?? name;
  if (!(DRIFT_DETECTORS as readonly string[]).includes(kind))
    throw new SpecError(`${path}.detector`, `unknown detector ${JSON.stringify(name)}; expected one of ${DRIFT_DETECTOR_NAMES.join('|')}`);
  const k = kind as DriftDetectorKind;
  if (k === 'pageHinkley' && options.mode === undefined) options.mode = 'up';
  const make = () => {
    try {
      return makeDriftDetector(k, options as never);
    } catch (e) {
      // The detector names its option as `kind.key`: put the spec's path in front.
      if (e instanceof SpecError) throw new SpecError(`${path}.detector.${e.path}`, e.message.slice(e.path.length + 2));
      throw e;
    }
  };
  make();
  return { kind: k, options, onDrift, make };
}
