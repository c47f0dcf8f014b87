// The peer: the same 11-step application written the way grammY's conversations documentation shows it – one
// conversation function with a wait per step, the plugin's own storage (a key-value table) on the same kind of SQLite
// file, no rewind, the replay log growing with every answer. It shows the same texts and buttons, reads the same
// directory, checks the IIN with the same rules and stores the request with the same repository, so the load driver
// (bench/lib/flow.ts) walks it exactly as it walks our bot. Not production code: a yardstick.
import { conversations, createConversation, type Conversation, type ConversationFlavor } from "@grammyjs/conversations";
import { run, sequentialize } from "@grammyjs/runner";
import type { Context } from "grammy";
import { Bot, InlineKeyboard } from "grammy";
import { createI18n, type Locale } from "../bot/i18n.js";
import { conversationAdapter } from "../data/conversation-storage.js";
import { seedDirectoryIfEmpty } from "../data/datasets/load-directory.js";
import { openDatabase } from "../data/db.js";
import { newSecret, Vault } from "../data/vault.js";
import { migrateToLatest } from "../data/migrate.js";
import { clinicsOfSettlement } from "../data/repositories/clinics.js";
import { listRegions } from "../data/repositories/places.js";
import { createRequest } from "../data/repositories/requests.js";
import { parseIin } from "../rules/index.js";

type Ctx = ConversationFlavor<Context>;
type Convo = Conversation<Ctx, Context>;

const database = openDatabase(process.env["DATABASE_URL"] ?? ":memory:");
await migrateToLatest(database.db);
await seedDirectoryIfEmpty(database.db, new Date(process.env["CLOCK_START"] ?? Date.now()));
const db = database.db;
// The same sealing and IIN index the bot pays for, so the two are compared on equal work.
const store = { db, vault: new Vault(newSecret()) };
const i18n = await createI18n();
const now = () => new Date(process.env["CLOCK_START"] ?? Date.now());

/** Waits for a press of one of these buttons; anything else is answered with the question again. */
async function choose(conversation: Convo, ctx: Context, text: string, kb: InlineKeyboard): Promise<string> {
  await ctx.reply(text, { parse_mode: "HTML", reply_markup: kb });
  const press = await conversation.waitForCallbackQuery(/^p:/, {
    otherwise: (c) => c.reply(text, { parse_mode: "HTML", reply_markup: kb }),
  });
  await press.answerCallbackQuery();
  return press.callbackQuery.data.slice(2);
}

const keyboard = (buttons: [string, string][]) => {
  const kb = new InlineKeyboard();
  for (const [label, data] of buttons) kb.text(label, `p:${data}`).row();
  return kb;
};

async function apply(conversation: Convo, ctx: Context): Promise<void> {
  const lang = await conversation.external(() => (ctx.from?.language_code === "kk" ? "kk" : "ru") as Locale);
  const t = i18n.t(lang);
  // The privacy notice's Agree, as ours asks before the first question: the same steps on both sides.
  await choose(conversation, ctx, t("privacy.consent.before"), keyboard([[t("privacy.consent.agree"), "agree"]]));
  await choose(conversation, ctx, t("apply.who.q"), keyboard([[t("apply.who.self"), "self"]]));
  await choose(
    conversation,
    ctx,
    t("apply.category.q_self"),
    keyboard([[t("apply.category.options.citizen"), "citizen"]]),
  );
  await ctx.reply(t("apply.iin.q_self"), { parse_mode: "HTML" });
  const iin = await conversation.form.text({
    action: (c) => c.reply(t("apply.iin.q_self"), { parse_mode: "HTML" }),
  });
  const parsed = await conversation.external(() => parseIin(iin.trim(), now()).ok);
  if (!parsed) return void (await ctx.reply(t("apply.iin.q_self"), { parse_mode: "HTML" }));
  const regions = await conversation.external(async () => (await listRegions(db)).map((r) => [r.name[lang], r.id]));
  const region = await choose(conversation, ctx, t("apply.place.region_q"), keyboard(regions as [string, string][]));
  const settlementId = await conversation.external(
    async () => (await listRegions(db)).find((r) => r.id === region)?.centreId ?? region,
  );
  const clinics = await conversation.external(async () =>
    (await clinicsOfSettlement(db, settlementId, { pageSize: 6 })).items.map((c) => [c.name[lang], c.id]),
  );
  const clinicId = await choose(
    conversation,
    ctx,
    t("apply.clinic.q", { settlement: "", page: 1, pages: 1 }),
    keyboard([...(clinics as [string, string][]), [t("apply.clinic.nearest_button"), "near"]]),
  );
  const ground = await choose(
    conversation,
    ctx,
    t("apply.ground.q", { today: now().toISOString().slice(0, 10) }),
    keyboard([[t("rules.grounds.free_choice.title"), "free_choice"]]),
  );
  await choose(conversation, ctx, t("apply.residence.q"), keyboard([[t("apply.residence.registered"), "registered"]]));
  await choose(conversation, ctx, t("apply.summary.title"), keyboard([[t("apply.summary.confirm"), "confirm"]]));
  const number = await conversation.external(async () => {
    const at = now().toISOString();
    const created = await createRequest(
      store,
      {
        user_id: ctx.from?.id ?? 0,
        iin: iin.trim(),
        person_birth_date: "1990-01-01",
        for_child: 0,
        applicant_category: "citizen",
        special_category: null,
        region_id: region,
        settlement_id: settlementId,
        clinic_id: clinicId,
        ground,
        residence_kind: "registered",
        status: "pending",
        submitted_at: at,
        decision_due: at.slice(0, 10),
        effective_from: null,
        outcome_at_submission: "{}",
        locale: lang,
        source_key: `peer:${ctx.from?.id ?? 0}:${at}`,
      },
      [],
    );
    return created.ok ? created.request.number : "";
  });
  await ctx.reply(`${number}`);
}

const bot = new Bot<Ctx>(process.env["BOT_TOKEN"] ?? "", {
  client: { apiRoot: process.env["BOT_API_ROOT"] ?? "" },
});
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.use(conversations({ storage: { type: "key", adapter: conversationAdapter(store) } }));
bot.use(createConversation(apply, "apply"));
bot.command("start", (ctx) =>
  ctx.reply("🌐", {
    reply_markup: new InlineKeyboard().text("Русский", "lang:ru").text("Қазақша", "lang:kk"),
  }),
);
bot.callbackQuery(/^lang:/, async (ctx) => {
  await ctx.answerCallbackQuery();
  const lang = ctx.callbackQuery.data === "lang:kk" ? "kk" : "ru";
  await ctx.reply(i18n.t(lang)("start.welcome", { name: ctx.from.first_name }), { parse_mode: "HTML" });
});
bot.command("apply", (ctx) => ctx.conversation.enter("apply"));
await bot.init();
await bot.api.deleteWebhook();
const handle = run(bot);
const stop = () => void handle.stop().then(() => database.close().then(() => process.exit(0)));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
