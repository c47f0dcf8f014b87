import type { I18n, Locale } from "../../bot/i18n.js";
import type { Clinic } from "../../data/repositories/clinics.js";
import type { Operator } from "../../data/repositories/settings.js";
import type { PosterColumn, PosterContent } from "./layout.js";

/** What a poster says of one clinic, in both languages; the texts are locales/<lng>/posters.json. */
export function posterContent(
  clinic: Pick<Clinic, "id" | "name" | "address" | "settlementName">,
  link: string,
  operator: Operator | undefined,
  i18n: I18n,
): PosterContent {
  const column = (lng: Locale): PosterColumn => {
    const t = i18n.t(lng);
    // A PDF, not Telegram HTML: values go in as they are.
    const plain = { interpolation: { escapeValue: false } };
    return {
      language: t("posters.language"),
      title: t("posters.title"),
      name: clinic.name[lng],
      address: t("posters.address", { ...plain, settlement: clinic.settlementName[lng], address: clinic.address[lng] }),
      stepsTitle: t("posters.steps_title"),
      steps: [t("posters.step_scan"), t("posters.step_language"), t("posters.step_confirm")],
      linkHint: t("posters.link_hint"),
      operator: t("posters.operator", { ...plain, operator: operator?.[lng] ?? t("posters.operator_unknown") }),
      safety: t("posters.safety"),
      channels: t("posters.channels"),
      clinicIdLabel: t("posters.clinic_id"),
    };
  };
  return {
    clinicId: clinic.id,
    link,
    linkText: link.replace(/^https:\/\//, ""),
    columns: { kk: column("kk"), ru: column("ru") },
    title: `${clinic.name.kk} / ${clinic.name.ru}`,
  };
}
