// The claims queue: a reviewer sees the oldest waiting claim with its receipt, fields, the
// member's other claims and any near-duplicates, and decides with the keyboard (A approve,
// R reject with the chosen reason, N ask the member, J/K next and previous). Every decision
// goes to the API with its own idempotency key; the claim's history keeps who decided.
import { useEffect, useState } from "preact/hooks";
import { payload } from "../shared/api.js";
import { money, t, word } from "../shared/i18n.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

// The queue is read as a list; what a reviewer needs beside a claim (its photo link, the
// member's claims, near-duplicates) is read for the one in focus only, so a long queue
// costs one query, not three a claim.
const QUEUE = `{ claimRules { rejectReasons windowDays }
  claimQueue(first: 50) { nodes { id invoiceNumber } } }`;
const DETAIL = `query($id: String!) { claim(id: $id) { id memberId accountId sellerTaxId
  invoiceNumber invoiceDate amount currency submittedAt photoUrl
  lines { product quantity amount } history { at status note reason }
  nearDuplicates { id invoiceNumber status }
  memberClaims(first: 5) { id invoiceNumber invoiceDate amount currency status } } }`;
const DECIDE = `mutation($i: DecideClaimInput!) { decideClaim(input: $i) {
  decided { points claim { id status } } errors { code field message } } }`;

const keyOf = () => `console-${crypto.randomUUID()}`;

export function Claims({ call }) {
  const { data, error, reload } = useQuery(call, QUEUE);
  const [at, setAt] = useState(0);
  const [done, setDone] = useState(null);
  const queue = data ? data.claimQueue.nodes : [];
  const focus = queue[Math.min(at, Math.max(queue.length - 1, 0))];
  if (!data) return <section class="card"><Problem error={error} /><p class="muted">{t("common.loading")}</p></section>;
  return (
    <>
      <section class="card">
        <h2>{t("claims.title")}</h2>
        <p class="muted">{t("claims.lead", { days: data.claimRules.windowDays })}</p>
        <p class="muted" data-testid="claims-waiting">{t("claims.waiting", { count: queue.length })}</p>
        {done && <p role="status" data-testid="claim-decided">{done}</p>}
        <Problem error={error} />
      </section>
      {focus
        ? <Focused key={focus.id} call={call} id={focus.id} reasons={data.claimRules.rejectReasons}
            onMove={(step) => setAt((n) => Math.max(0, Math.min(queue.length - 1, n + step)))}
            onDecided={(text) => { setDone(text); reload(); }} />
        : <section class="card"><p class="muted">{t("claims.empty")}</p></section>}
    </>
  );
}

function Focused({ call, id, ...rest }) {
  const { data, error } = useQuery(call, DETAIL, { id });
  if (!data) return <section class="card"><Problem error={error} /><p class="muted">{t("common.loading")}</p></section>;
  return <Review call={call} claim={data.claim} {...rest} />;
}

function Review({ call, claim, reasons, onMove, onDecided }) {
  const [reason, setReason] = useState(reasons[0]);
  const [note, setNote] = useState("");
  const [part, setPart] = useState("");
  const [problem, setProblem] = useState(null);

  async function decide(decision) {
    const input = { id: claim.id, decision, idempotencyKey: keyOf() };
    if (decision === "APPROVE" && part) input.approvedAmount = Number(part);
    if (decision === "REJECT") input.reason = reason;
    if (note) input.note = note;
    try {
      const d = payload((await call(DECIDE, { i: input })).decideClaim).decided;
      setProblem(null);
      onDecided(t(`claims.done.${decision}`, { invoice: claim.invoiceNumber, points: d.points }));
    } catch (e) { setProblem(e); }
  }

  useEffect(() => {
    const onKey = (e) => {
      if (["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName)) return; // typing, not deciding
      const act = { a: () => decide("APPROVE"), r: () => decide("REJECT"),
        n: () => note ? decide("NEEDS_INFO") : document.getElementById("claim-note").focus(),
        j: () => onMove(1), k: () => onMove(-1) }[e.key.toLowerCase()];
      if (act) { e.preventDefault(); act(); }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  });

  const isPdf = (claim.photoUrl || "").split("?")[0].endsWith(".pdf");
  return (
    <div class="grid" data-testid="claim-review" data-claim={claim.id}>
      <section class="card">
        <h3>{t("claims.receipt")}</h3>
        {claim.photoUrl
          ? (isPdf ? <a href={claim.photoUrl} target="_blank" rel="noopener">{t("claims.openPdf")}</a>
            : <img class="receipt" src={claim.photoUrl} alt={t("claims.receipt")} />)
          : <p class="muted">{t("claims.noPhoto")}</p>}
      </section>
      <section class="card">
        <h3>{claim.invoiceNumber} · {claim.invoiceDate}</h3>
        <dl class="facts">
          <dt>{t("claims.seller")}</dt><dd data-testid="claim-seller">{claim.sellerTaxId}</dd>
          <dt>{t("claims.amount")}</dt><dd data-testid="claim-amount">{money(claim.amount, claim.currency)}</dd>
          <dt>{t("claims.member")}</dt><dd><a href={`#/members/${encodeURIComponent(claim.memberId)}`}>{claim.memberId}</a></dd>
          <dt>{t("claims.company")}</dt><dd>{claim.accountId || t("common.none")}</dd>
        </dl>
        {claim.lines.length > 0 && <table><tbody>{claim.lines.map((l) => (
          <tr key={l.product}><td>{l.product}</td><td>× {l.quantity}</td><td>{money(l.amount, claim.currency)}</td></tr>))}
        </tbody></table>}
        {claim.nearDuplicates.length > 0 && <p class="error" data-testid="near-duplicates">
          {t("claims.near", { count: claim.nearDuplicates.length })}{" "}
          {claim.nearDuplicates.map((c) => `${c.invoiceNumber} (${word("claimStatus", c.status)})`).join(", ")}</p>}
        <h4>{t("claims.memberClaims")}</h4>
        <ul>{claim.memberClaims.map((c) => (
          <li key={c.id}>{c.invoiceNumber} · {c.invoiceDate} · {money(c.amount, c.currency)} <Badge value={c.status} group="claimStatus" /></li>))}
        </ul>
      </section>
      <section class="card">
        <h3>{t("claims.decide")}</h3>
        <Problem error={problem} />
        <label>{t("claims.approvePart")}{" "}
          <input data-testid="claim-part" inputMode="numeric" value={part} placeholder={String(claim.amount)}
            onInput={(e) => setPart(e.target.value.replace(/\D/g, ""))} /></label>
        <label>{t("claims.reason")}{" "}
          <select data-testid="claim-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
            {reasons.map((r) => <option key={r} value={r}>{word("rejectReason", r)}</option>)}
          </select></label>
        <label for="claim-note">{t("claims.note")}</label>
        <textarea id="claim-note" value={note} onInput={(e) => setNote(e.target.value)} />
        <div class="row">
          <button data-testid="claim-approve" onClick={() => decide("APPROVE")}>{t("claims.approve")} (A)</button>
          <button data-testid="claim-reject" onClick={() => decide("REJECT")}>{t("claims.reject")} (R)</button>
          <button data-testid="claim-ask" onClick={() => decide("NEEDS_INFO")}>{t("claims.ask")} (N)</button>
        </div>
        <p class="muted">{t("claims.keys")}</p>
      </section>
    </div>
  );
}
