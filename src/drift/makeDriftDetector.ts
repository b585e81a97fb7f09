import { SpecError } from '../core/index.js';
import { ADWIN, type ADWINOptions } from './ADWIN.js';
import { DDM, type DDMOptions } from './DDM.js';
import { DRIFT_DETECTORS, type DriftDetectorKind } from './DRIFT_DETECTORS.js';
import type { DriftDetector } from './DriftDetector.js';
import { EDDM, type EDDMOptions } from './EDDM.js';
import { HDDMA, type HDDMAOptions } from './HDDMA.js';
import { HDDMW, type HDDMWOptions } from './HDDMW.js';
import { KSWIN, type KSWINOptions } from './KSWIN.js';
import { PageHinkley, type PageHinkleyOptions } from './PageHinkley.js';

/** The options of each detector kind. */
export interface DriftDetectorOptions {
  adwin: ADWINOptions;
  pageHinkley: PageHinkleyOptions;
  ddm: DDMOptions;
  eddm: EDDMOptions;
  hddmA: HDDMAOptions;
  hddmW: HDDMWOptions;
  kswin: KSWINOptions;
}

/** A detector by kind name, as a spec file or CLI flag gives it; options are checked by the detector. */
export function makeDriftDetector<K extends DriftDetectorKind>(kind: K, options: DriftDetectorOptions[K] = {}): DriftDetector {
  switch (kind as DriftDetectorKind) {
    case 'adwin':
      return new ADWIN(options as ADWINOptions);
    case 'pageHinkley':
      return new PageHinkley(options as PageHinkleyOptions);
    case 'ddm':
      return new DDM(options as DDMOptions);
    case 'eddm':
      return new EDDM(options as EDDMOptions);
    case 'hddmA':
      return new HDDMA(options as HDDMAOptions);
    case 'hddmW':
      return new HDDMW(options as HDDMWOptions);
    case 'kswin':
      return new KSWIN(options as KSWINOptions);
    default:
      throw new SpecError('detector', `expected one of ${DRIFT_DETECTORS.join('|')}, got ${JSON.stringify(kind)}`);
  }
}
