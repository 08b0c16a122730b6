// What the proposal pages show, shared by the models that assemble it and the components that
// render it (components never import from a .server module).
import type { EditWaiting } from "./hosts.types";

export type ProposalCommentView = {
  id: number;
  /** null when the author left the network ("former member"); named as the viewer may see them. */
  author: { id: string | null; displayName: string } | null;
  createdAt: number;
  edited: boolean;
  hidden: { rule: string; times: number } | null;
  /** Empty when hidden and the viewer may not read it. */
  bodyHtml: string;
  mine: boolean;
  canFlag: boolean;
  /** The author's edit of a hidden comment, waiting for acceptance (null when nothing waits). */
  waiting: EditWaiting | null;
};

import type { DiffLine } from "~/lib/diff";

export type ProposalVersionView = {
  version: number;
  title: string;
  answers: string;
  name: string | null;
  at: number;
  /** The changes from the version before (title, text and rules text), null for version 1. */
  diff: DiffLine[] | null;
};

export type EarlierPosition = { version: number; displayName: string; position: string; reason: string };
