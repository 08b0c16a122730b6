import type { nlContributions } from "./nl-contributions";

// English texts for contributions pages; merged into ./en.ts.
export const enContributions: Record<keyof typeof nlContributions, string> = {
};
