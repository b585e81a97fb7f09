import type { Activation } from '../Backend.js';

/** The KIND override of elementwise.wgsl for each activation. */
export const activationCode: Readonly<Record<Activation, number>> = { identity: 0, relu: 1, sigmoid: 2, tanh: 3 };
