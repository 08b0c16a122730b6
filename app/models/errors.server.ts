// Domain refusals that routes turn into 4xx pages with a translated message.
export class NotAHostError extends Error {}
