// A sales rep on a phone: their companies, reasons and what is left this period, and an
// award to a member (typed, or scanned from a code that carries the member's id). One idempotency key per
// award, kept for a retry after a lost answer, so a shaky connection never awards twice.
import { useEffect, useRef, useState } from "preact/hooks";
import { newKey, NetworkError, payload } from "../shared/api.js";
import { money, t, word } from "../shared/i18n.js";
import { Bar } from "./bar.jsx";
import { Scanner } from "./scanner.jsx";
import { sentence } from "./sentences.js";

const STANDING = `{ myRepStanding { givenThisPeriod budgetLeft budgetCurrency
  rep { name accounts reasons limits { perAward perMemberPerPeriod perRepPerPeriod } } } }`;
const AWARD = `mutation($i: AwardPointsInput!) { awardPoints(input: $i) {
  award { id memberId points balanceAfter } errors { code field message } } }`;

export function Rep({ call, who, signOut, relabel }) {
  const [standing, setStanding] = useState(null);
  const [member, setMember] = useState("");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const attempt = useRef(null); // {key, ask}: one key per award, kept for its retry

  const fail = (error) => {
    if (error.code === "UNAUTHORIZED") signOut(sentence(error));
    else setMessage({ kind: "error", text: sentence(error, error.message) });
  };
  const load = () => call(STANDING).then((d) => {
    setStanding(d.myRepStanding);
    setReason((r) => r || d.myRepStanding.rep.reasons[0]);
  }).catch(fail);
  useEffect(() => { load(); }, []);

  async function award(e) {
    e.preventDefault();
    if (busy) return;
    const ask = { memberId: member.trim(), points: Number(points), reason, note: note || null };
    const same = attempt.current && JSON.stringify(attempt.current.ask) === JSON.stringify(ask);
    if (!same) attempt.current = { ask, key: newKey() };
    setBusy(true); setMessage(null);
    try {
      const done = payload((await call(AWARD, { i: { ...ask, idempotencyKey: attempt.current.key } }))
        .awardPoints).award;
      attempt.current = null;
      setMessage({ kind: "ok", text: t("rep.awarded", { points: done.points, member: done.memberId,
        balance: done.balanceAfter }) });
      setPoints(""); setNote("");
      load();
    } catch (error) {
      if (!(error instanceof NetworkError)) attempt.current = null;
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  const rep = standing && standing.rep;
  return (
    <>
      <Bar title={t("rep.title")} who={`${who.subject} · ${who.program}`} signOut={signOut} relabel={relabel} />
      <main class="grid">
        {rep && (
          <section class="card" data-testid="rep-standing">
            <h2>{rep.name}</h2>
            <dl class="facts">
              <dt>{t("rep.companies")}</dt><dd>{rep.accounts.join(", ")}</dd>
              <dt>{t("rep.given")}</dt>
              <dd data-testid="rep-given">{t("rep.ofLimit", { given: standing.givenThisPeriod, limit: rep.limits.perRepPerPeriod })}</dd>
              <dt>{t("rep.budgetLeft")}</dt>
              <dd data-testid="rep-budget-left">{money(standing.budgetLeft, standing.budgetCurrency)}</dd>
              <dt>{t("rep.perAward")}</dt><dd>{rep.limits.perAward}</dd>
            </dl>
          </section>
        )}
        <section class="card">
          <form onSubmit={award}>
            <label for="rep-member">{t("rep.member")}</label>
            <input id="rep-member" autocomplete="off" spellcheck={false} value={member}
              onInput={(e) => setMember(e.currentTarget.value)} />
            <Scanner onCode={(text) => setMember(text.trim())} />
            <label for="rep-points">{t("rep.points")}</label>
            <input id="rep-points" inputMode="numeric" value={points}
              onInput={(e) => setPoints(e.currentTarget.value.replace(/\D/g, ""))} />
            <label for="rep-reason">{t("rep.reason")}</label>
            <select id="rep-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
              {rep && rep.reasons.map((r) => <option key={r} value={r}>{word("repReason", r)}</option>)}
            </select>
            <label for="rep-note">{t("rep.note")}</label>
            <input id="rep-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            <button type="submit" disabled={busy || !member.trim() || !points}>{t("rep.award")}</button>
          </form>
          {message && <p class={message.kind} role={message.kind === "ok" ? "status" : "alert"}
            data-testid="rep-message">{message.text}</p>}
        </section>
      </main>
    </>
  );
}
