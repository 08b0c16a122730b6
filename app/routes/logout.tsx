import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endAuthSession } from "~/lib/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/", { status: 303, headers: { "Set-Cookie": await endAuthSession(request) } });
}

export function loader() {
  return redirect("/");
}
