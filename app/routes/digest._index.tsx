import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMember } from "~/lib/auth.server";
import { digestPage, weekOf } from "~/models/digest.server";
import { nameViewer, visitor } from "~/models/names.server";

export { default, meta } from "./digest.$week";

// GET /digest — this week's newsletter (the ISO week in the community's time zone), naming people
// as the reader may see them (names.server.ts).
export async function loader(args?: LoaderFunctionArgs) {
  const viewer = args ? nameViewer(args.request, await getMember(args.request)) : visitor;
  return digestPage(weekOf(new Date()), new Date(), viewer)!;
}
