// Every refusal the till and the door can meet, as a sentence a cashier can act on
// (the words are in the catalogues: refusal.<CODE>).
import { has, t, when } from "../shared/i18n.js";

export function sentence(error, detail) {
  if (error && error.name === "NetworkError") return t("refusal.NETWORK");
  if (error.code === "ALREADY_REDEEMED" && /redeemed at/.test(error.message)) {
    // The API says when (in UTC) and where: "…already redeemed at 2026-11-24 10:02 UTC by
    // merchant cafe". The cashier reads the moment in the till's own time, like the rest.
    const detail = error.message.replace(/^this voucher was already /, "")
      .replace(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC/, (_, day, time) => when(`${day}T${time}:00Z`));
    return t("refusal.ALREADY_REDEEMED_AT", { detail });
  }
  if (error.code === "INVALID_CODE" && /typo/.test(error.message)) return t("refusal.TYPO");
  if (error.code === "ALREADY_CHECKED_IN" && detail) return t("refusal.ALREADY_CHECKED_IN_AT", { detail });
  const key = `refusal.${error.code}`;
  return has(key) ? t(key) : t("refusal.OTHER", { code: error.code });
}
