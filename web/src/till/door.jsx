// The door: staff of a venue scan (or type) a member's event ticket, see whose it is and
// where it stands, and check it in once. A second scan says when it was checked in.
import { useRef, useState } from "preact/hooks";
import { newKey, NetworkError, payload } from "../shared/api.js";
import { t, when, word } from "../shared/i18n.js";
import { Bar } from "./bar.jsx";
import { Scanner } from "./scanner.jsx";
import { sentence } from "./sentences.js";

const TICKET = `query($q: String!) { ticket(qr: $q) { eventId eventName venue startsAt memberId
  accountId accountName status checkedInAt checkedInCount } }`;
const CHECK_IN = `mutation($i: CheckInInput!) { checkIn(input: $i) {
  checkIn { eventId memberId checkedInAt } errors { code message field } } }`;

export function Door({ call, who, signOut, relabel }) {
  const [qr, setQr] = useState("");
  const [ticket, setTicket] = useState(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null);
  const attempt = useRef(null); // one key per ticket's check-in, kept for a retry

  const fail = (error) => {
    if (error.code === "UNAUTHORIZED") signOut(sentence(error));
    else setMessage({ kind: "error", text: sentence(error, error.message) });
  };

  async function look(typed) {
    const wanted = (typed ?? qr).trim();
    if (!wanted) return;
    setBusy(true); setMessage(null); setTicket(null);
    try {
      setTicket((await call(TICKET, { q: wanted })).ticket);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  async function checkIn() {
    if (busy || !ticket) return;
    if (!attempt.current || attempt.current.qr !== qr.trim()) attempt.current = { qr: qr.trim(), key: newKey() };
    setBusy(true); setMessage(null);
    try {
      payload((await call(CHECK_IN, { i: { eventId: ticket.eventId, qr: attempt.current.qr,
        idempotencyKey: attempt.current.key } })).checkIn);
      attempt.current = null;
      const now = (await call(TICKET, { q: qr.trim() })).ticket;
      setTicket(now);
      setMessage({ kind: "ok", text: t("door.checkedIn", { member: now.memberId }) });
    } catch (error) {
      if (!(error instanceof NetworkError)) attempt.current = null;
      fail(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Bar title={t("door.title")} who={`${who.subject} · ${who.program}`} signOut={signOut} relabel={relabel} />
      <main class="grid">
        <section class="card">
          <form onSubmit={(e) => { e.preventDefault(); look(); }}>
            <label for="ticket">{t("door.ticket")}</label>
            <div class="row">
              <input id="ticket" class="code" autocomplete="off" spellcheck={false} value={qr}
                placeholder="KADO-EVENT:…" onInput={(e) => { setQr(e.currentTarget.value); setTicket(null); }} />
              <button type="submit" disabled={busy || !qr.trim()}>{t("door.look")}</button>
            </div>
          </form>
          <Scanner onCode={(text) => { setQr(text); look(text); }} />
          {message && <p class={message.kind} role="alert">{message.text}</p>}
          {ticket && (
            <>
              <dl class="facts" data-testid="ticket">
                <dt>{t("door.event")}</dt><dd>{ticket.eventName}</dd>
                <dt>{t("door.starts")}</dt><dd>{when(ticket.startsAt)}</dd>
                <dt>{t("door.member")}</dt><dd>{ticket.memberId}</dd>
                <dt>{t("door.company")}</dt><dd>{ticket.accountName || ticket.accountId || t("door.noCompany")}</dd>
                <dt>{t("door.status")}</dt><dd><span class={`badge ${ticket.status}`} title={ticket.status}>
                  {word("registrationStatus", ticket.status)}</span>
                  {ticket.checkedInAt ? ` ${t("door.at", { when: when(ticket.checkedInAt) })}` : ""}</dd>
              </dl>
              {ticket.status === "CONFIRMED" && (
                <button class="primary wide" onClick={checkIn} disabled={busy}>{t("door.checkIn")}</button>
              )}
            </>
          )}
        </section>
        <section class="card">
          <h2>{t("door.through")}</h2>
          <p class="big" data-testid="checked-in-count">{ticket ? ticket.checkedInCount : "–"}</p>
          <p class="muted">{ticket ? ticket.eventName : t("door.scanToSee")}</p>
        </section>
      </main>
    </>
  );
}
