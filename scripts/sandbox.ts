// npm run sandbox [-- --port 8090] [--fresh] [--date 2026-09-15]: the whole bot in a browser, without Telegram.
import { parseArgs } from "node:util";
import { DEFAULT_PORT, startSandbox } from "./sandbox/index.js";

const USAGE = `npm run sandbox -- [options]
  --port <n>        port of the page on 127.0.0.1 (default ${DEFAULT_PORT}; 0 = any free port)
  --fresh           start from an empty sandbox database (var/sandbox.sqlite)
  --date <day>      the clock starts on this day (YYYY-MM-DD, 10:00 in Almaty) or ISO instant; e.g. 2026-09-15
                    is inside the campaign window (1 Sep – 1 Nov), when personal choice of a clinic is open
  --log-level <l>   the bot's log level (default warn)`;

function fail(message: string): never {
  console.error(`sandbox: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseDate(s: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T10:00:00+05:00` : s;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso))
    fail(`--date: "${s}" is not YYYY-MM-DD nor an ISO instant with offset`);
  return d;
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        fresh: { type: "boolean", default: false },
        date: { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

const values = parse();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: "${values.port}" is not a port number`);

try {
  const sandbox = await startSandbox({
    port,
    fresh: values.fresh,
    ...(values.date ? { clockStart: parseDate(values.date) } : {}),
    ...(values["log-level"] ? { logLevel: values["log-level"] } : {}),
  });
  const clock = values.date ? `, clock from ${values.date}` : "";
  console.log(`Emhana sandbox: open ${sandbox.url} (database ${sandbox.databasePath}${clock}; Ctrl-C stops)`);
  const shutdown = (code: number) => {
    void sandbox.stop().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => shutdown(0));
  process.once("SIGTERM", () => shutdown(0));
  void sandbox.botExited.then((code) => {
    console.error(`sandbox: the bot stopped by itself (exit code ${code}); its log is above`);
    shutdown(1);
  });
} catch (e) {
  console.error(`sandbox: could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
