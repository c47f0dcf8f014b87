// Several bot instances in webhook mode on one PostgreSQL database, behind a round-robin forwarder on 127.0.0.1 (what
// a reverse proxy does in front of them): for the scale-out end-to-end test and benchmark.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { startEmulator, type Emulator } from "../emulator/index.js";
import { type BotProcess, spawnBot, stopBot, waitUntilReady } from "./bot-process.js";
import { freePort } from "./harness.js";
import { freshPostgres, type FreshPostgres } from "./postgres.js";

/** A SQLite file in a temp folder, in the shape of a fresh PostgreSQL database. */
function freshSqlite(): FreshPostgres {
  const dir = mkdtempSync(join(tmpdir(), "emhana-cluster-"));
  return { url: `file:${join(dir, "bot.sqlite")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Instance {
  port: number;
  bot: BotProcess;
}

export interface Cluster {
  tg: Emulator;
  databaseUrl: string;
  env: Record<string, string>;
  instances: Instance[];
  /** Updates the forwarder passed on, per instance (by index). */
  forwarded: number[];
  /** SIGKILL one instance; the forwarder sends its share to the others from then on. */
  kill(i: number): Promise<void>;
  /** GET a path (/metrics, /healthz) of one instance. */
  get(i: number, path: string): Promise<string>;
  stop(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** One POST to an instance; rejects with the socket's error (ECONNREFUSED: nobody listens there). */
function post(port: number, req: IncomingMessage, data: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${port}` },
      },
      (res) => {
        void body(res).then((b) => resolve({ status: res.statusCode ?? 502, body: b }), reject);
      },
    );
    out.on("error", reject);
    out.end(data);
  });
}

/**
 * Round robin over the instances; one that refuses the connection is skipped (the next one gets the update, as a
 * proxy's "next upstream on error" does). A request that breaks in flight gets 502: Telegram delivers it again.
 */
function forwarder(cluster: () => Instance[], counts: number[]): Server {
  let next = 0;
  return createServer((req, res) => {
    void (async () => {
      const data = await body(req);
      const instances = cluster();
      for (let tries = 0; tries < instances.length; tries++) {
        const i = next++ % instances.length;
        const target = instances[i];
        if (!target) continue;
        try {
          const r = await post(target.port, req, data);
          counts[i] = (counts[i] ?? 0) + 1;
          res.writeHead(r.status).end(r.body);
          return;
        } catch (err) {
          if ((err as { code?: unknown }).code !== "ECONNREFUSED") break;
        }
      }
      res.writeHead(502).end();
    })().catch(() => res.writeHead(502).end());
  });
}

export async function startCluster(opts: {
  instances: number;
  clockStart?: string;
  env?: Record<string, string>;
  /** SQLite: one instance on a file (the baseline a benchmark compares with); PostgreSQL by default. */
  database?: "postgres" | "sqlite";
}): Promise<Cluster> {
  const tg = await startEmulator();
  const db: FreshPostgres = opts.database === "sqlite" ? freshSqlite() : await freshPostgres();
  const forwardPort = await freePort();
  const env: Record<string, string> = {
    BOT_TOKEN: tg.token,
    BOT_API_ROOT: tg.url,
    DATABASE_URL: db.url,
    DATA_KEY: randomBytes(32).toString("base64"),
    BOT_MODE: "webhook",
    WEBHOOK_URL: `http://127.0.0.1:${forwardPort}/tg/hook`,
    WEBHOOK_SECRET: `cluster_${randomBytes(12).toString("hex")}`,
    LOG_LEVEL: "warn",
    ...(opts.clockStart ? { CLOCK_START: opts.clockStart } : {}),
    ...opts.env,
  };
  const instances: Instance[] = [];
  const forwarded: number[] = [];
  const server = forwarder(() => instances, forwarded);
  await new Promise<void>((r) => server.listen(forwardPort, "127.0.0.1", r));
  // All at once, as a deployment starts them: the start-up lock puts their migrations one after another.
  const ports = await Promise.all(Array.from({ length: opts.instances }, () => freePort()));
  await Promise.all(
    ports.map(async (port) => {
      const since = tg.lastCallSeq();
      const bot = spawnBot({ ...env, PORT: String(port) });
      instances.push({ port, bot });
      await waitUntilReady(tg, bot, since, true);
    }),
  );
  return {
    tg,
    databaseUrl: db.url,
    env,
    instances,
    forwarded,
    async kill(i) {
      const bot = instances[i]?.bot;
      if (!bot || bot.proc.exitCode !== null) return;
      bot.proc.kill("SIGKILL");
      await bot.exited;
    },
    async get(i, path) {
      const res = await fetch(`http://127.0.0.1:${instances[i]?.port}${path}`);
      return res.text();
    },
    async stop() {
      await Promise.all(instances.map((x) => stopBot(x.bot)));
      await new Promise<void>((r) => server.close(() => r()));
      await tg.close();
      await db.drop();
    },
  };
}
