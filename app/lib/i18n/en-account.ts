import type { nlAccount } from "./nl-account";

// English texts for account pages; merged into ./en.ts.
export const enAccount: Record<keyof typeof nlAccount, string> = {
};
