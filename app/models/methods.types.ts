// The view types of the method pages, shared with their components (no server code here).
import type { EditWaiting } from "./hosts.types";
import type { DiffLine } from "~/lib/diff";

export type ShownAuthor = { id: string | null; displayName: string; organisation: string };

export type MethodUse = {
  sessions: { id: number; startsAt: number; initiativeId: number; initiativeTitle: string }[];
  outcomes: { id: number; createdAt: number; initiativeId: number; sessionId: number | null; initiativeTitle: string; excerpt: string }[];
};

export type MethodPage = {
  id: number;
  hidden: { rule: string; canRead: boolean; authorEdit: boolean; waiting: EditWaiting | null } | null;
  method: {
    title: string;
    purpose: string;
    groupSize: string;
    duration: string;
    materials: string;
    stepsHtml: string;
    variationsHtml: string;
    learnedHtml: string;
    tagList: string[];
    author: ShownAuthor | null;
    createdAt: number;
    updatedAt: number;
    versions: number;
  } | null;
  uses: MethodUse;
  can: { edit: boolean; history: boolean; flag: boolean };
  rules: string[];
  flags: { id: number; display_name: string; rule: string; reason: string; created_at: number }[] | null;
  timeZone: string;
};

export type MethodFieldView = { name: "title" | "purpose" | "groupSize" | "duration" | "materials" | "steps" | "variations" | "learned" | "tags"; diff: DiffLine[] };

export type MethodHistoryPage = {
  id: number;
  title: string;
  hidden: boolean;
  versions: { version: number; at: number; author: ShownAuthor | null; first: boolean; changes: MethodFieldView[] }[];
};

/** The methods a session used, and for its hosts the form to add and remove them. */
export type SessionMethodsView = {
  used: { id: number; title: string; hidden: boolean }[];
  /** Titles to offer when adding; null when the viewer may not add (not a host, or held). */
  choices: string[] | null;
};
