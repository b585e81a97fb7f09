/** Activations of an MLP's hidden layers (`activation`). */
export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;

export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
