import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { client, newKey, NetworkError, payload } from "../shared/api.js";
import { money, parseAmount, t, when, word } from "../shared/i18n.js";
import { currentToken, loadConfig, signedInAs, signOut } from "../shared/session.js";
import { SignIn } from "../shared/SignIn.jsx";
import { Door } from "./door.jsx";
import { Distributor } from "./distributor.jsx";
import { Rep } from "./rep.jsx";
import { Bar } from "./bar.jsx";
import { Scanner } from "./scanner.jsx";
import { sentence } from "./sentences.js";

const ROLE = "merchant";
const VOUCHER = "voucher { id status balance expiresAt merchants product { name kind value currency } }";
const ME = "{ me { id program } }";
const CHECK = `query($c: String!) { checkVoucher(code: $c) { redeemable ${VOUCHER} errors { code message field } } }`;
const REDEEM = `mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id redeemedAt amount remainingBalance voucher { product { name currency } } }
  errors { code message field } } }`;
const REVERSE = `mutation($i: ReverseInput!) { reverseRedemption(input: $i) {
  redemption { id reversedAt } errors { code message field } } }`;
const TODAY = `query($after: String) { redemptions(first: 100, after: $after) {
  nodes { id redeemedAt reversedAt amount voucher { product { name kind currency } } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every redemption since local midnight, newest first: pages are read until one reaches
 * yesterday, so a busy till's totals are whole, not its last hundred. */
async function sinceMidnight(call) {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  const found = [];
  let after = null;
  for (;;) {
    const page = (await call(TODAY, { after })).redemptions;
    const todays = page.nodes.filter((r) => new Date(r.redeemedAt) >= midnight);
    found.push(...todays);
    if (todays.length < page.nodes.length || !page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor;
  }
}

function App() {
  const [config, setConfig] = useState(null);
  const [token, setToken] = useState(null);
  const [problem, setProblem] = useState(null);
  const [, setShown] = useState(0); // a new language renders the page again
  useEffect(() => {
    loadConfig().then(async (c) => { setConfig(c); setToken(await currentToken(ROLE, c)); });
  }, []);
  if (!config) return <main><p>{t("common.loading")}</p></main>;
  if (!token) return <SignIn role={ROLE} config={config} onToken={setToken} problem={problem} />;
  const call = client(config.apiBase || "", "/merchant/graphql", token);
  const out = (why) => { signOut(ROLE); setProblem(why); setToken(null); };
  const relabel = () => setShown((n) => n + 1);
  // Door staff (a staff token) check tickets in; a merchant's till redeems vouchers.
  if (signedInAs(token).role === "staff") {
    return <Door call={call} who={signedInAs(token)} signOut={out} relabel={relabel} />;
  }
  // A sales rep (a rep token) awards points from their budget.
  if (signedInAs(token).role === "rep") {
    return <Rep call={call} who={signedInAs(token)} signOut={out} relabel={relabel} />;
  }
  // A distributor's staff read the companies under their distributor.
  if (signedInAs(token).role === "distributor") {
    return <Distributor call={call} who={signedInAs(token)} signOut={out} relabel={relabel} />;
  }
  return <Till call={call} signOut={out} relabel={relabel} />;
}

function Till({ call, signOut, relabel }) {
  const [merchant, setMerchant] = useState(null);
  const [code, setCode] = useState("");
  const [check, setCheck] = useState(null);
  const [amount, setAmount] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const [done, setDone] = useState(null);
  const [today, setToday] = useState([]);
  const attempt = useRef(null); // {key, code, amount}: one key per attempt, kept for retries
  const undoKey = useRef(null);

  const fail = (error) => {
    if (error.code === "UNAUTHORIZED") signOut(sentence(error));
    else setMessage({ kind: "error", text: sentence(error) });
  };
  const refreshToday = () => sinceMidnight(call).then(setToday).catch(() => {});
  useEffect(() => {
    call(ME).then((d) => setMerchant(d.me)).catch(fail);
    refreshToday();
  }, []);

  async function lookUp(typed) {
    const wanted = (typed ?? code).trim();
    if (!wanted) return;
    setMessage(null); setDone(null); setCheck(null); setAmount("");
    setBusy(true);
    try {
      const result = (await call(CHECK, { c: wanted })).checkVoucher;
      setCheck(result);
      if (result.errors.length) fail(result.errors[0]);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  const voucher = check && check.voucher;
  const byAmount = voucher && voucher.product.kind === "AMOUNT";
  // What the cashier typed, in minor units, or null: an entry that is not an amount is
  // refused here and nothing is sent (an empty amount never means "all of it").
  const typed = byAmount && amount.trim() ? parseAmount(amount, voucher.product.currency) : null;
  const amountProblem = byAmount && amount.trim() && typed === null;

  async function redeem(wanted) {
    if (busy) return; // a double tap sends nothing more
    const same = attempt.current && attempt.current.code === code.trim() &&
      attempt.current.amount === wanted;
    if (!same) attempt.current = { key: newKey(), code: code.trim(), amount: wanted };
    setBusy(true); setMessage(null);
    try {
      const input = { code: attempt.current.code, idempotencyKey: attempt.current.key,
        ...(wanted === null ? {} : { amount: wanted }) };
      const result = payload((await call(REDEEM, { i: input })).redeemVoucher);
      attempt.current = null; undoKey.current = null;
      setDone(result.redemption); setCheck(null); setCode(""); setAmount("");
      refreshToday();
    } catch (error) {
      if (!(error instanceof NetworkError)) attempt.current = null; // a refusal ends the attempt
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  async function undo() {
    if (busy || !done) return;
    if (!confirm(t("till.undoConfirm"))) return;
    undoKey.current = undoKey.current || newKey();
    setBusy(true);
    try {
      payload((await call(REVERSE, { i: { redemptionId: done.id, idempotencyKey: undoKey.current,
        reason: "undone at the till" } })).reverseRedemption);
      setMessage({ kind: "ok", text: t("till.undone") });
      setDone(null); undoKey.current = null;
      refreshToday();
    } catch (error) {
      if (!(error instanceof NetworkError)) undoKey.current = null;
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  const todays = today.filter((r) => !r.reversedAt); // undone ones are listed, not counted
  const totals = {};
  for (const r of todays) {
    const currency = r.voucher.product.currency || r.voucher.product.kind;
    totals[currency] = (totals[currency] || 0) + r.amount;
  }

  return (
    <>
      <Bar title={t("till.title")} who={merchant ? `${merchant.id} · ${merchant.program}` : ""} signOut={signOut} relabel={relabel} />
      <main class="grid">
        <section class="card">
          <form onSubmit={(e) => { e.preventDefault(); lookUp(); }}>
            <label for="code">{t("till.code")}</label>
            <div class="row">
              <input id="code" class="code" autocomplete="off" autocapitalize="characters"
                spellcheck={false} value={code} placeholder="XXXX-XXXX-XXXX-XXXX-X"
                onInput={(e) => { setCode(e.currentTarget.value); setCheck(null); }} />
              <button type="submit" disabled={busy || !code.trim()}>{t("till.check")}</button>
            </div>
          </form>
          <Scanner onCode={(text) => { setCode(text); lookUp(text); }} />
          {message && <p class={message.kind} role="alert">{message.text}</p>}
          {voucher && <VoucherFacts voucher={voucher} redeemable={check.redeemable} />}
          {voucher && check.redeemable && !byAmount && (
            <button class="primary wide" onClick={() => redeem(null)} disabled={busy}>
              {busy ? t("till.redeeming") : t("till.redeem")}
            </button>
          )}
          {voucher && check.redeemable && byAmount && (
            <form onSubmit={(e) => { e.preventDefault(); if (typed !== null) redeem(typed); }}>
              <label for="amount">{t("till.amount", { currency: voucher.product.currency })}</label>
              <input id="amount" inputmode="decimal" value={amount} aria-invalid={amountProblem}
                aria-describedby="amount-problem" onInput={(e) => setAmount(e.currentTarget.value)} />
              {amountProblem && <div class="field-error" id="amount-problem" role="alert">
                {t("till.notAnAmount", { example: money(250, voucher.product.currency) })}</div>}
              <div class="row">
                <button class="primary" type="submit" disabled={busy || typed === null}>
                  {typed === null ? t("till.redeemThis") : t("till.redeemAmount", {
                    amount: money(typed, voucher.product.currency) })}
                </button>
                <button type="button" disabled={busy} data-testid="redeem-all"
                  onClick={() => redeem(null)}>
                  {t("till.redeemAll", { amount: money(voucher.balance, voucher.product.currency) })}
                </button>
              </div>
            </form>
          )}
          {done && (
            <div class="ok" role="status">
              <p><strong>{t("till.redeemed")}</strong> {t("till.redeemedDetail", {
                product: done.voucher.product.name,
                taken: money(done.amount, done.voucher.product.currency),
                left: money(done.remainingBalance, done.voucher.product.currency) })}</p>
              <button class="danger" onClick={undo} disabled={busy}>{t("till.undo")}</button>
            </div>
          )}
        </section>
        <section class="card">
          <h2>{t("till.today")}</h2>
          <p class="big" data-testid="today-count">{t("till.redeemedCount", { count: todays.length })}</p>
          <p class="muted">{Object.entries(totals).map(([c, v]) => (c.length === 3 ? money(v, c)
            : `${v} ${word("kind", c)}`)).join(" · ") || t("till.nothingYet")}</p>
          <div class="table-wrap">
            <table>
              <thead><tr><th>{t("till.when")}</th><th>{t("till.voucher")}</th><th>{t("till.taken")}</th></tr></thead>
              <tbody>
                {today.map((r) => (
                  <tr key={r.id}>
                    <td>{when(r.redeemedAt)}</td>
                    <td>{r.voucher.product.name}{r.reversedAt ? ` (${t("till.undoneMark")})` : ""}</td>
                    <td>{money(r.amount, r.voucher.product.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </>
  );
}

function VoucherFacts({ voucher, redeemable }) {
  const p = voucher.product;
  const value = p.kind === "AMOUNT" ? money(p.value, p.currency)
    : p.kind === "PERCENT" ? t("till.percentOff", { value: p.value })
      : t("till.items", { count: p.value });
  // A voucher that cannot be used says why in its status; "not usable here" is only for
  // one that another shop takes.
  const usable = redeemable ? t("till.validHere")
    : voucher.status === "ACTIVE" || voucher.status === "PARTIALLY_REDEEMED"
      ? t("till.notHere") : t("till.notUsable");
  return (
    <dl class="facts" data-testid="voucher">
      <dt>{t("till.product")}</dt><dd>{p.name}</dd>
      <dt>{t("till.value")}</dt><dd>{value}</dd>
      <dt>{t("till.left")}</dt><dd>{p.kind === "AMOUNT" ? money(voucher.balance, p.currency) : voucher.balance}</dd>
      <dt>{t("till.expires")}</dt><dd>{when(voucher.expiresAt)}</dd>
      <dt>{t("till.here")}</dt><dd>{usable}{" "}
        <span class={`badge ${voucher.status}`} title={voucher.status}>{word("voucherStatus", voucher.status)}</span></dd>
    </dl>
  );
}

render(<App />, document.getElementById("app"));
