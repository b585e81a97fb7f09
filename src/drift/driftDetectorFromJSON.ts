import { SluiceError } from '../core/index.js';
import { ADWIN, type ADWINState } from './ADWIN.js';
import { DDM, type DDMState } from './DDM.js';
import { DRIFT_DETECTORS } from './DRIFT_DETECTORS.js';
import type { DriftDetector, DriftDetectorState } from './DriftDetector.js';
import { EDDM, type EDDMState } from './EDDM.js';
import { HDDMA, type HDDMAState } from './HDDMA.js';
import { HDDMW, type HDDMWState } from './HDDMW.js';
import { KSWIN, type KSWINState } from './KSWIN.js';
import { PageHinkley, type PageHinkleyState } from './PageHinkley.js';

/** Rebuilds any detector from its `toJSON()`; it continues exactly as the original would. */
export function driftDetectorFromJSON(state: DriftDetectorState): DriftDetector {
  switch (state?.kind) {
    case 'adwin':
      return ADWIN.fromJSON(state as ADWINState);
    case 'pageHinkley':
      return PageHinkley.fromJSON(state as PageHinkleyState);
    case 'ddm':
      return DDM.fromJSON(state as DDMState);
    case 'eddm':
      return EDDM.fromJSON(state as EDDMState);
    case 'hddmA':
      return HDDMA.fromJSON(state as HDDMAState);
    case 'hddmW':
      return HDDMW.fromJSON(state as HDDMWState);
    case 'kswin':
      return KSWIN.fromJSON(state as KSWINState);
    default:
      throw new SluiceError('DRIFT_STATE', `driftDetectorFromJSON: expected a kind among ${DRIFT_DETECTORS.join('|')}, got ${JSON.stringify(state?.kind)}`);
  }
}
