import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseUrlProblem } from "../data/db.js";
import { parseSecret } from "../data/vault.js";

const TELEGRAM_API = "https://api.telegram.org";

const idList = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === "") return [];
    const ids: number[] = [];
    for (const part of s.split(",")) {
      const n = Number(part.trim());
      if (!Number.isSafeInteger(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: `"${part.trim()}" is not a Telegram user id` });
        return z.NEVER;
      }
      ids.push(n);
    }
    return ids;
  });

/** Telegram only posts to https; plain http is for a local test server (the webhook e2e uses 127.0.0.1). */
function secureOrLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === "https:") return true;
  return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
}

/** BOT_TOKEN and BOT_API_ROOT as the bot reads them; the posters script asks getMe with the same two. */
export const BotTokenSchema = z
  .string({
    error:
      "is missing: get a token from @BotFather and set BOT_TOKEN (or run `npm run sandbox` to try the bot locally)",
  })
  .regex(/^\d+:[\w-]{20,}$/, "does not look like a bot token (digits:letters, from @BotFather)");
export const BotApiRootSchema = z
  .url({ error: "must be a URL such as https://api.telegram.org" })
  .default(TELEGRAM_API)
  .transform((u) => u.replace(/\/+$/, ""));

const EnvSchema = z.object({
  BOT_TOKEN: BotTokenSchema,
  BOT_API_ROOT: BotApiRootSchema,
  DATABASE_URL: z
    .string()
    .superRefine((url, ctx) => {
      const problem = databaseUrlProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .default(DEFAULT_DATABASE_URL),
  // PostgreSQL only: connections each instance keeps at most.
  DATABASE_POOL_SIZE: z.coerce.number({ error: "must be a whole number" }).int().min(2).max(200).default(10),
  ADMIN_IDS: idList.default([]),
  // The data key (base64 of 32 bytes); unset: the key file beside the database, made on the first start.
  DATA_KEY: z
    .string()
    .superRefine((key, ctx) => {
      const parsed = parseSecret(key);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
    })
    .optional(),
  BOT_MODE: z.enum(["polling", "webhook"], { error: "must be polling or webhook" }).default("polling"),
  WEBHOOK_URL: z
    .url({ error: "must be an https URL" })
    .refine(secureOrLoopback, "must be an https URL (plain http only for 127.0.0.1 or localhost)")
    .optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).default(8080),
  // Behind a reverse proxy on the same machine by default; 0.0.0.0 only when the proxy is elsewhere.
  HOST: z
    .union([z.ipv4(), z.ipv6(), z.literal("localhost")], { error: "must be an IP address such as 127.0.0.1" })
    .default("127.0.0.1"),
  // Polling mode: /healthz and /metrics on this port (webhook mode serves them beside the webhook).
  METRICS_PORT: z.coerce.number({ error: "must be a port number" }).int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Test and sandbox aid: the clock starts at this instant and runs on from there.
  CLOCK_START: z.iso.datetime({ offset: true, error: "must be an ISO date-time with offset" }).optional(),
  BROADCAST_RATE: z.coerce.number().positive().max(30).default(28),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  MAX_CONCURRENT_UPDATES: z.coerce
    .number({ error: "must be a whole number from 1 to 10000" })
    .int({ error: "must be a whole number from 1 to 10000" })
    .min(1, { error: "must be a whole number from 1 to 10000" })
    .max(10_000, { error: "must be a whole number from 1 to 10000" })
    .default(200),
});

/** Checked apart from the schema so these lines appear even when other variables are wrong too. */
function webhookProblems(env: Record<string, string | undefined>): string[] {
  if (env.BOT_MODE !== "webhook") return [];
  return (["WEBHOOK_URL", "WEBHOOK_SECRET"] as const)
    .filter((k) => !env[k])
    .map((k) => `${k}: is required when BOT_MODE=webhook`);
}

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  token: string;
  apiRoot: string;
  databaseUrl: string;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  /** DATA_KEY as given (never logged); undefined: the key file. */
  dataKey: string | undefined;
  adminIds: number[];
  mode: "polling" | "webhook";
  webhook: { url: string; secret: string; port: number; host: string } | null;
  /** Where /healthz and /metrics are served in polling mode (null: not served). */
  metrics: { port: number; host: string } | null;
  logLevel: Env["LOG_LEVEL"];
  clockStart: Date | null;
  broadcastRate: number;
  rateLimitPerMinute: number;
  /** Polling: updates handled at once (different chats; one chat's run in order). */
  maxConcurrentUpdates: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Validates the environment; every problem becomes one `VAR: problem` line. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  // Empty strings in .env mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`)),
    ...webhookProblems(cleaned),
  ];
  if (!parsed.success || problems.length) return { ok: false, problems: [...new Set(problems)] };
  const e = parsed.data;
  return {
    ok: true,
    config: {
      token: e.BOT_TOKEN,
      apiRoot: e.BOT_API_ROOT,
      databaseUrl: e.DATABASE_URL,
      databasePoolSize: e.DATABASE_POOL_SIZE,
      dataKey: e.DATA_KEY,
      adminIds: e.ADMIN_IDS,
      mode: e.BOT_MODE,
      webhook:
        e.BOT_MODE === "webhook" && e.WEBHOOK_URL && e.WEBHOOK_SECRET
          ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, port: e.PORT, host: e.HOST }
          : null,
      metrics: e.BOT_MODE === "polling" && e.METRICS_PORT ? { port: e.METRICS_PORT, host: e.HOST } : null,
      logLevel: e.LOG_LEVEL,
      clockStart: e.CLOCK_START ? new Date(e.CLOCK_START) : null,
      broadcastRate: e.BROADCAST_RATE,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      maxConcurrentUpdates: e.MAX_CONCURRENT_UPDATES,
    },
  };
}
