import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseLanguage, head, L, tap, until } from "../../scripts/stack/flow.js";
import { startStack, type Stack } from "../../scripts/stack/harness.js";
import { makeIin } from "../../scripts/stack/people.js";
import { query, vaultOf } from "./staff-seed.js";
import { walkTo } from "./walk.js";
import { IN_CAMPAIGN } from "../dates.js";
import { AUTUMN_CAMPAIGN, overridePolicy } from "./policy.js";

describe("files a person sends: an iPhone photo as a file, and an ЭЦП key that must never be sent", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ clockStart: IN_CAMPAIGN });
    // R12: the proof of temporary residence is a policy option (off in the shipped 2026 policy); this flow needs it on.
    await overridePolicy(stack.databaseUrl, 2026, {
      campaign: AUTUMN_CAMPAIGN,
      requireProofForTemporaryResidence: true,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("R12 (ru): an ЭЦП key sent mid-flow is deleted from the chat and warned about; a HEIC proof is taken and the flow goes on", async () => {
    const u = stack.tg.user({ id: 3401, first_name: "Асель", language_code: "ru" });
    await chooseLanguage(u, "ru");
    await walkTo(u, "region", { iin: makeIin("880808", 4, 341) });
    u.send("Алматы");
    const docs = await walkTo(u, "documents", { from: "clinic", residence: "temporary" });
    expect(docs.text).toContain(L("ru", "rules.documents.residence_proof"));
    // One document needed: said once, without "now: the same document".
    expect(docs.text).not.toContain("Сейчас");
    const key = u.sendDocument({
      file_name: "AUTH_RSA256_e3f1.p12",
      mime_type: "application/x-pkcs12",
      file_size: 3000,
    });
    const warned = await until(u, "похоже на файл ключа ЭЦП");
    expect(warned.text).toContain("pki.gov.kz");
    expect(warned.text).toContain(L("ru", "common.answers_kept"));
    expect(key.deleted).toBe(true);
    u.sendDocument({ file_name: "IMG_0001.HEIC", mime_type: "image/heic", file_size: 1_800_000 });
    await until(u, "Получено страниц: 1");
    // Some phones send it without a type: the name says what it is.
    u.sendDocument({ file_name: "IMG_0002.heic", mime_type: "application/octet-stream", file_size: 1_700_000 });
    await until(u, "Получено страниц: 2");
    await tap(u, L("ru", "apply.documents.done"));
    await until(u, "Проверьте заявку");
    const [row] = await query<{ data: string }>(stack, "select data from drafts where user_id = 3401");
    const stored = vaultOf(stack).open(row?.data ?? "", "draft");
    expect(stored).toContain("image/heic");
    expect(stored).not.toContain("AUTH_RSA256");
  });

  it("(kk) outside any flow a key file is deleted and explained too", async () => {
    const u = stack.tg.user({ id: 3402, first_name: "Нұрлан", language_code: "kk" });
    await chooseLanguage(u, "kk");
    const key = u.sendDocument({
      file_name: "GOSTKNCA_60e1.p12",
      mime_type: "application/octet-stream",
      file_size: 2500,
    });
    const warned = await until(u, head("kk", "common.signing_key_deleted").replace("⚠️ ", ""));
    // No application under way: nothing to say about kept answers.
    expect(warned.text).not.toContain(L("kk", "common.answers_kept"));
    expect(key.deleted).toBe(true);
  });
});
