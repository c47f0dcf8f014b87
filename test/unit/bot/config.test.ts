import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../bot/config.js";

const TOKEN = "123456:AAAbbbCCCdddEEEfffGGG_hhh-iii";

describe("configuration from the environment", () => {
  it("applies the documented defaults", () => {
    const r = loadConfig({ BOT_TOKEN: TOKEN });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      apiRoot: "https://api.telegram.org",
      databaseUrl: "file:var/emhana.sqlite",
      adminIds: [],
      mode: "polling",
      webhook: null,
      logLevel: "info",
      broadcastRate: 28,
      clockStart: null,
      maxConcurrentUpdates: 200,
    });
  });

  it("MAX_CONCURRENT_UPDATES: a whole number from 1 to 10000, else one line saying so", () => {
    const ok = loadConfig({ BOT_TOKEN: TOKEN, MAX_CONCURRENT_UPDATES: "250" });
    expect(ok.ok && ok.config.maxConcurrentUpdates).toBe(250);
    for (const bad of ["0", "2.5", "many", "20000"]) {
      const r = loadConfig({ BOT_TOKEN: TOKEN, MAX_CONCURRENT_UPDATES: bad });
      expect(r.ok ? [] : r.problems).toEqual(["MAX_CONCURRENT_UPDATES: must be a whole number from 1 to 10000"]);
    }
  });

  it("DATA_KEY: 32 bytes in base64 is taken; anything else is one line saying how to make one, without the value", () => {
    const key = Buffer.alloc(32, 9).toString("base64");
    const ok = loadConfig({ BOT_TOKEN: TOKEN, DATA_KEY: key });
    expect(ok.ok && ok.config.dataKey).toBe(key);
    const unset = loadConfig({ BOT_TOKEN: TOKEN, DATA_KEY: "" });
    expect(unset.ok && unset.config.dataKey).toBeUndefined();
    const bad = loadConfig({ BOT_TOKEN: TOKEN, DATA_KEY: "c2VjcmV0LXRvby1zaG9ydA==" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      "DATA_KEY: must be 32 bytes in base64, got 16 (make one with: openssl rand -base64 32)",
    ]);
  });

  it("parses admin ids, webhook settings and a test clock", () => {
    const r = loadConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_IDS: " 11, 22 ,33",
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example.kz/hook",
      WEBHOOK_SECRET: "s3cret_s3cret_s3cret",
      PORT: "9000",
      CLOCK_START: "2026-09-15T10:00:00+05:00",
      BOT_API_ROOT: "http://127.0.0.1:1234/",
    });
    expect(r.ok && r.config).toMatchObject({
      adminIds: [11, 22, 33],
      webhook: { url: "https://bot.example.kz/hook", secret: "s3cret_s3cret_s3cret", port: 9000 },
      apiRoot: "http://127.0.0.1:1234",
    });
    expect(r.ok && r.config.clockStart?.toISOString()).toBe("2026-09-15T05:00:00.000Z");
  });

  it("treats empty strings as unset, so a copied .env.example works", () => {
    const r = loadConfig({ BOT_TOKEN: TOKEN, ADMIN_IDS: "", WEBHOOK_URL: "", CLOCK_START: "" });
    expect(r.ok).toBe(true);
  });

  it("reports one line per problem, naming the variable", () => {
    const r = loadConfig({ BOT_MODE: "webhook", HOST: "example.kz", LOG_LEVEL: "loud" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "BOT_TOKEN",
      "HOST",
      "LOG_LEVEL",
      "WEBHOOK_SECRET",
      "WEBHOOK_URL",
    ]);
  });

  it("R17: any process time zone is accepted (containers run in UTC): every date rule uses Almaty days itself", () => {
    for (const TZ of ["UTC", "Europe/Moscow", "Asia/Almaty"])
      expect(loadConfig({ BOT_TOKEN: TOKEN, TZ }).ok).toBe(true);
  });

  it("webhook mode listens on 127.0.0.1 unless HOST says otherwise", () => {
    const hook = {
      BOT_TOKEN: TOKEN,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://example.kz/h",
      WEBHOOK_SECRET: "s".repeat(20),
    };
    const local = loadConfig(hook);
    const open = loadConfig({ ...hook, HOST: "0.0.0.0" });
    expect(local.ok && local.config.webhook?.host).toBe("127.0.0.1");
    expect(open.ok && open.config.webhook?.host).toBe("0.0.0.0");
  });

  it.each([
    "file:var/emhana.sqlite",
    "sqlite:/srv/emhana.sqlite",
    "file:///srv/emhana.sqlite",
    "var/emhana.sqlite",
    "/srv/bot.db",
    ":memory:",
    "file::memory:",
    "postgres://emhana@127.0.0.1:5432/emhana",
    "postgresql://user:pw@db/emhana",
  ])("accepts the SQLite or PostgreSQL DATABASE_URL %s", (url) => {
    const r = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url });
    expect(r.ok && r.config.databaseUrl).toBe(url);
  });

  it.each(["mysql://user:pw@db/x", "https://example.kz/db", "file:", "sqlite://"])(
    "refuses DATABASE_URL %s with one clear line",
    (url) => {
      const r = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: url });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatch(
        /^DATABASE_URL: must be a SQLite file \(file:<path>, sqlite:<path>, a plain path or :memory:\) or a PostgreSQL URL \(postgres:\/\/…\)/,
      );
      // The message names what was given wrong without echoing credentials.
      expect(r.problems[0]).not.toContain("pw");
    },
  );

  it("names the foreign scheme of a refused DATABASE_URL", () => {
    const r = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: "mysql://x" });
    expect(!r.ok && r.problems[0]).toContain('"mysql:"');
  });

  const webhook = (url: string) =>
    loadConfig({ BOT_TOKEN: TOKEN, BOT_MODE: "webhook", WEBHOOK_URL: url, WEBHOOK_SECRET: "s3cret_s3cret_s3cret" });

  it.each([
    "https://bot.example.kz/hook",
    "http://127.0.0.1:8443/tg/hook",
    "http://localhost:8080/hook",
    "http://[::1]:8080/hook",
  ])("accepts WEBHOOK_URL %s (https, or http on a loopback host)", (url) => {
    expect(webhook(url).ok).toBe(true);
  });

  it.each([
    "http://bot.example.kz/hook",
    "http://10.0.0.5/hook",
    "ftp://bot.example.kz/hook",
    "http://127.0.0.1.example.kz/hook",
  ])("refuses WEBHOOK_URL %s: Telegram posts to https only", (url) => {
    const r = webhook(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      "WEBHOOK_URL: must be an https URL (plain http only for 127.0.0.1 or localhost)",
    ]);
  });
});
