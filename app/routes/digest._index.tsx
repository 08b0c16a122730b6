import { digestPage, weekOf } from "~/models/digest.server";

export { default, meta } from "./digest.$week";

// GET /digest — this week's newsletter (the ISO week in the community's time zone).
export function loader() {
  return digestPage(weekOf(new Date()))!;
}
