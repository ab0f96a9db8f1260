// Every refusal the till can meet, as a sentence a cashier can act on.
const SENTENCES = {
  INVALID_CODE: "No voucher has this code. Check it for a typo and type it again.",
  INVALID_INPUT: "That entry isn't valid. Check the code and the amount.",
  EXPIRED: "This voucher has expired. It can't be used any more.",
  NOT_VALID_AT_MERCHANT: "This voucher belongs to another shop. It can't be used here.",
  ALREADY_REDEEMED: "This voucher has already been used.",
  INSUFFICIENT_BALANCE: "The voucher has less left than that amount. Take a smaller amount.",
  TOO_MANY_ATTEMPTS: "Too many wrong codes from this till. Wait a minute, then try again.",
  VOUCHER_REVOKED: "This voucher was withdrawn by the program. It can't be used.",
  REVERSAL_WINDOW_CLOSED: "Too late to undo this one: the undo window has passed.",
  ALREADY_REVERSED: "This redemption was already undone.",
  FORBIDDEN: "This till isn't registered with the program. Ask your manager to add it.",
  UNAUTHORIZED: "Your sign-in has expired or isn't for a till. Sign in again.",
  BUSY: "The system is busy right now. Press the button again.",
  NOT_FOUND: "Nothing was found for that.",
};

export function sentence(error) {
  if (error && error.name === "NetworkError") {
    return "No connection. Press the button again when you're back online: it will not redeem twice.";
  }
  const base = SENTENCES[error.code] || `Something went wrong (${error.code}). Try again.`;
  if (error.code === "ALREADY_REDEEMED" && /redeemed at/.test(error.message)) {
    // The API says when and where: "…already redeemed at 2026-11-24 10:02 UTC by merchant cafe".
    return `This voucher has already been used: ${error.message.replace(/^this voucher was already /, "")}.`;
  }
  if (error.code === "INVALID_CODE" && /typo/.test(error.message)) {
    return "This code has a typo: one of the characters is wrong. Type it again.";
  }
  return base;
}
