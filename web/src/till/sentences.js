// Every refusal the till and the door can meet, as a sentence a cashier can act on
// (the words are in the catalogues: refusal.<CODE>).
import { has, t } from "../shared/i18n.js";

export function sentence(error, detail) {
  if (error && error.name === "NetworkError") return t("refusal.NETWORK");
  if (error.code === "ALREADY_REDEEMED" && /redeemed at/.test(error.message)) {
    // The API says when and where: "…already redeemed at 2026-11-24 10:02 UTC by merchant cafe".
    return t("refusal.ALREADY_REDEEMED_AT", { detail: error.message.replace(/^this voucher was already /, "") });
  }
  if (error.code === "INVALID_CODE" && /typo/.test(error.message)) return t("refusal.TYPO");
  if (error.code === "ALREADY_CHECKED_IN" && detail) return t("refusal.ALREADY_CHECKED_IN_AT", { detail });
  const key = `refusal.${error.code}`;
  return has(key) ? t(key) : t("refusal.OTHER", { code: error.code });
}
