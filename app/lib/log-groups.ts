// The kinds of log entries one can filter the public log by (shared by the page and the model).
export const logGroups = ["initiative", "session", "attendance", "host", "proposal", "flag", "content", "posting", "rules", "bootstrap", "voice", "founder", "organisation"] as const;
export type LogGroup = (typeof logGroups)[number];
