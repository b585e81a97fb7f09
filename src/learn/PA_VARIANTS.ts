/** Passive-aggressive update rules (Crammer et al. 2006): PA, PA-I (step capped at C), PA-II (soft margin). */
export const PA_VARIANTS = ['PA', 'PA-I', 'PA-II'] as const;

export type PaVariant = (typeof PA_VARIANTS)[number];
