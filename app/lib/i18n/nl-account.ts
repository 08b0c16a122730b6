// Dutch texts for account pages; merged into ./nl.ts.
export const nlAccount = {
} as const;
