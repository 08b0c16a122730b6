// The environment, validated once on first use. Every setting has a default that works on a
// laptop, so `npm start` needs none of them.
import path from "node:path";
import { z } from "zod";

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("data"),
  DATABASE_PATH: z.string().optional(),
  TZ_COMMUNITY: z.string().refine(isTimeZone, "unknown time zone").default("Europe/Amsterdam"),
  PUBLIC_URL: z.url().optional(),
  // Only behind a reverse proxy you run: then X-Forwarded-For/-Proto are believed.
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false", ""])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  // The most the database may grow to, in MB: past it, writes are refused with a clear message
  // while reading goes on, and the disk keeps room for the rest (logs, pictures). No limit if unset.
  DATABASE_MAX_MB: z.coerce.number().positive().optional(),
  SMTP_URL: z.string().optional(),
  // How long the mail server may take to connect, to greet, or to answer any one step, before
  // the attempt is given up and tried again later.
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  MAIL_FROM: z.string().default("Meedoen <meedoen@localhost>"),
  // Every this many ms the server logs one "[stats]" line (event-loop delay, memory,
  // connections, bodies being received); 0: never. For benchmarks and for finding a slow moment.
  STATS_INTERVAL_MS: z.coerce.number().int().min(0).default(0),
  // Limits against hostile clients (docs/self-hosting.md, section 6). Connections: in total, and
  // per address (per /64 for IPv6; not counted behind TRUST_PROXY, where every connection comes
  // from the proxy). Bodies: requests whose body is being received at the same moment.
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(8192),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(1024),
  MAX_BODIES: z.coerce.number().int().min(1).default(64),
  // Pages made at the same moment, and how many requests may wait for their turn (up to 10 s);
  // past that the server answers 503 at once instead of running out of memory in a burst.
  MAX_RENDERS: z.coerce.number().int().min(1).default(16),
  MAX_RENDER_QUEUE: z.coerce.number().int().min(0).default(512),
  MAX_BODIES_PER_ADDRESS: z.coerce.number().int().min(1).default(8),
  // Time for a request's headers; for a text form's body and a picture's; the longest pause in
  // a body; the longest silence on a connection with a request in progress (a picture may wait
  // its turn in the image queue that long; idle keep-alive: 5 s, 65 s behind TRUST_PROXY).
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  FORM_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
});

export type Env = z.infer<typeof schema> & { databasePath: string; imagesDir: string; temporaryDir: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const databasePath = parsed.data.DATABASE_PATH ?? path.join(parsed.data.DATA_DIR, "meedoen.sqlite");
  // Uploaded pictures, one file per size (docs/decisions/016-images.md); `npm run backup` copies them.
  const imagesDir = path.join(parsed.data.DATA_DIR, "images");
  // Pictures being received, before they are checked (app/lib/uploads.server.ts): on the disk
  // next to the data, not in /tmp, which may be memory.
  const temporaryDir = path.join(parsed.data.DATA_DIR, "tmp");
  cached = { ...parsed.data, databasePath, imagesDir, temporaryDir };
  return cached;
}
