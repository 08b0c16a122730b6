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
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Meedoen <meedoen@localhost>"),
});

export type Env = z.infer<typeof schema> & { databasePath: string; imagesDir: string };

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
  cached = { ...parsed.data, databasePath, imagesDir };
  return cached;
}
