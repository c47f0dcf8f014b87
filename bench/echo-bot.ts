// The baseline: a minimal grammY bot on the same runner and emulator, answering every text with itself.
// Our bot's throughput as a fraction of this one is the cost of conversations, rules and storage.
import { run, sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";

const bot = new Bot(process.env["BOT_TOKEN"] ?? "", { client: { apiRoot: process.env["BOT_API_ROOT"] ?? "" } });
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
await bot.init();
await bot.api.deleteWebhook();
const handle = run(bot);
const stop = () => void handle.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
