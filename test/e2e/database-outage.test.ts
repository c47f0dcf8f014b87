import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage, L, until } from "../../scripts/stack/flow.js";
import { freePort, startStack, type Stack } from "../../scripts/stack/harness.js";
import { freshPostgres, testsOnPostgres, type FreshPostgres } from "../../scripts/stack/postgres.js";
import { startTcpProxy, type TcpProxy } from "../../scripts/stack/tcp-proxy.js";

// The PostgreSQL server becomes unreachable while the bot runs (its link cut by a proxy), then comes back.
describe.skipIf(!testsOnPostgres())("a database outage on PostgreSQL", () => {
  let db: FreshPostgres;
  let proxy: TcpProxy;
  let stack: Stack;
  let metricsPort: number;
  beforeAll(async () => {
    db = await freshPostgres();
    const url = new URL(db.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    metricsPort = await freePort();
    stack = await startStack({
      database: "sqlite",
      env: {
        DATABASE_URL: url.toString(),
        DATA_KEY: randomBytes(32).toString("base64"),
        METRICS_PORT: String(metricsPort),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
    await db?.drop();
  });

  const healthz = () =>
    fetch(`http://127.0.0.1:${metricsPort}/healthz`).then(
      (r) => r.status,
      () => 0,
    );

  it("answers the polite 'try again later', says so on /healthz, and recovers by itself when the server is back", async () => {
    const u = stack.tg.user({ id: 7701, first_name: "Айгерим", language_code: "ru" });
    await chooseLanguage(u, "ru");
    // A chat's updates run one after another: /help answered means the language choice has been stored.
    u.command("/help");
    await until(u, "Что умеет бот");
    expect(await healthz()).toBe(200);

    proxy.cut();
    u.command("/help");
    // Up to the pool's connect timeout (5 s) before the bot gives up on the server.
    const sorry = L("ru", "common.error").split(".")[0] ?? "";
    await u.waitFor((m) => (m.text ?? "").startsWith(sorry), { timeout: 20_000 });
    expect(await healthz()).toBe(503);
    expect(stack.bot.proc.exitCode).toBeNull();

    // No restart: the pool connects anew on the next query.
    proxy.restore();
    expect(await healthz()).toBe(200);
    u.command("/start");
    await until(u, "Емхана");
    expect(stack.bot.proc.exitCode).toBeNull();
  }, 90_000);
});
