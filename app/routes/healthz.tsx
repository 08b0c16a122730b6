import { healthProblem } from "~/lib/health.server";

// For monitors: 200 "ok", or 503 with what is wrong (app/lib/health.server.ts).
export function loader() {
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  let problem: string | null;
  try {
    problem = healthProblem();
  } catch {
    problem = "database unavailable";
  }
  return problem ? new Response(problem, { status: 503, headers }) : new Response("ok", { headers });
}
