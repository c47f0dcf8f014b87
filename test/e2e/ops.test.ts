import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage } from "../../scripts/stack/flow.js";
import { freePort, startStack, type Stack } from "../../scripts/stack/harness.js";

async function get(url: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

describe("health and metrics for whoever runs the bot", () => {
  let stack: Stack;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    stack = await startStack({ env: { METRICS_PORT: String(port) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("polling mode serves /healthz (database reachable, migrations current) and /metrics in Prometheus's format", async () => {
    const h = await get(`http://127.0.0.1:${port}/healthz`);
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toEqual({ ok: true, database: "reachable", migrations: "current" });

    const u = stack.tg.user({ id: 6101, first_name: "Дана", language_code: "ru" });
    await chooseLanguage(u, "ru");
    const m = await get(`http://127.0.0.1:${port}/metrics`);
    expect(m.status).toBe(200);
    expect(m.type).toContain("text/plain");
    expect(m.body).toMatch(/^emhana_updates_total\{kind="message"\} [1-9]/m);
    expect(m.body).toMatch(/^emhana_updates_total\{kind="callback_query"\} [1-9]/m);
    expect(m.body).toMatch(/^emhana_update_seconds_bucket\{le="0\.5",kind="message"\} [1-9]/m);
    expect(m.body).toContain("# TYPE emhana_requests gauge");
    expect(m.body).toContain("# TYPE emhana_broadcast_messages_total counter");
    expect(m.body).toContain("emhana_process_resident_memory_bytes");
    expect((await get(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});
