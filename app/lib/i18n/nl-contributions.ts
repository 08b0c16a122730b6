// Dutch texts for contributions pages; merged into ./nl.ts.
export const nlContributions = {
} as const;
