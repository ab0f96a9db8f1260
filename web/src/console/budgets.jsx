// Budgets: what each has spent of its period, the thresholds it reached, and the admin's
// changes (set up, raise or cut, close), each with who and why. Amounts are typed in the
// currency's own form and sent in minor units (parseAmount, as the till does).
import { useState } from "preact/hooks";
import { payload } from "../shared/api.js";
import { money, parseAmount, t, when, word } from "../shared/i18n.js";
import { dayIn } from "../shared/zoned_time.js";
import { DayChart, everyDay } from "./day_chart.jsx";
import { Badge, byField, Field, Problem, useQuery } from "./ui.jsx";

const BUDGETS = `{ budgets { id name currency amount period timezone shards sponsor status
  version now { period amount spent left thresholdsReached bySource { key amount }
    byDay { key amount } }
  changes { at change amount before by reason } alerts { period percent at } } }`;
const CREATE = `mutation($i: BudgetInput!) { createBudget(input: $i) {
  budget { id } errors { code field message } } }`;
const SET = `mutation($id: String!, $a: Amount!, $r: String!) { setBudgetAmount(id: $id,
  amount: $a, reason: $r) { budget { id } errors { code field message } } }`;
const CLOSE = `mutation($id: String!, $r: String!) { closeBudget(id: $id, reason: $r) {
  budget { id } errors { code field message } } }`;
const PERIODS = ["LIFETIME", "DAY", "WEEK", "MONTH"];

export function Budgets({ call }) {
  const { data, error, reload } = useQuery(call, BUDGETS, undefined, 10000);
  return (
    <>
      <Problem error={error} />
      {(data ? data.budgets : []).map((b) => <BudgetCard key={b.id} call={call} budget={b} reload={reload} />)}
      {data && !data.budgets.length && <section class="card"><p class="muted">{t("budgets.none")}</p></section>}
      <NewBudget call={call} reload={reload} />
    </>
  );
}

function BudgetCard({ call, budget: b, reload }) {
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState(null);
  const [range, setRange] = useState(30);
  const now = b.now;
  const burn = everyDay(now.byDay.map((d) => ({ day: d.key, spent: d.amount })), range, dayIn(b.timezone, new Date()));
  const share = now.amount ? Math.min(100, (100 * now.spent) / now.amount) : 0;
  async function change(kind) {
    try {
      if (!reason.trim()) throw { message: t("budgets.whyFirst") };
      if (kind === "set") {
        const minor = parseAmount(amount, b.currency);
        if (minor === null) throw { message: t("till.notAnAmount", { example: money(1234500, b.currency) }) };
        payload((await call(SET, { id: b.id, a: minor, r: reason })).setBudgetAmount);
      } else {
        if (!confirm(t("budgets.closeConfirm", { name: b.name }))) return;
        payload((await call(CLOSE, { id: b.id, r: reason })).closeBudget);
      }
      setAmount(""); setReason(""); setProblem(null);
      reload();
    } catch (e) { setProblem(e); }
  }
  return (
    <section class="card" data-budget={b.id}>
      <div class="row"><h2>{b.name} <Badge value={b.status} group="budgetStatus" /></h2></div>
      <p class="muted">{b.id}{b.sponsor ? ` · ${t("budgets.paidBy", { sponsor: b.sponsor })}` : ""} · {word("budgetPeriod", b.period)} · {money(b.amount, b.currency)}</p>
      <p><strong data-testid="spent">{money(now.spent, b.currency)}</strong> {t("budgets.spentOf", { amount: money(now.amount, b.currency), period: now.period === "LIFETIME" ? word("budgetPeriod", "LIFETIME") : now.period })}
        {" · "}<span data-testid="left">{t("budgets.left", { amount: money(now.left, b.currency) })}</span></p>
      <div class="progress budget" role="img" aria-label={`${share.toFixed(0)} %`}>
        <div style={{ width: `${share}%` }} />
        {[50, 80].map((p) => <span key={p} class="mark" style={{ left: `${p}%` }} title={`${p} %`} />)}
      </div>
      {now.thresholdsReached.length > 0 && <p class="muted" data-testid="thresholds">{t("budgets.reached", { list: now.thresholdsReached.map((p) => `${p} %`).join(", ") })}</p>}
      {now.byDay.length > 0 && <DayChart testid={`burn-${b.id}`} rows={burn} range={range} onRange={setRange}
        series={[{ key: "spent", label: t("budgets.spentPerDay", { currency: b.currency }), bar: true }]} />}
      {now.bySource.length > 0 && (
        <div class="table-wrap"><table data-testid="by-source">
          <thead><tr><th>{t("budgets.spentBy")}</th><th>{t("budgets.amount")}</th></tr></thead>
          <tbody>{now.bySource.map((s) => <tr key={s.key}><td>{s.key}</td><td>{money(s.amount, b.currency)}</td></tr>)}</tbody>
        </table></div>
      )}
      {b.status === "OPEN" && (
        <div class="grid">
          <Field label={t("budgets.newAmount", { currency: b.currency })} path={`amount-${b.id}`}>
            <input id={`amount-${b.id}`} inputmode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
          </Field>
          <Field label={t("budgets.why")} path={`reason-${b.id}`}>
            <input id={`reason-${b.id}`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <div class="row">
            <button type="button" onClick={() => change("set")}>{t("budgets.setAmount")}</button>
            <button type="button" class="danger" onClick={() => change("close")}>{t("budgets.close")}</button>
          </div>
        </div>
      )}
      <Problem error={problem} />
      <details><summary>{t("budgets.changes", { count: b.changes.length })}</summary>
        <div class="table-wrap"><table>
          <thead><tr><th>{t("budgets.when")}</th><th>{t("budgets.change")}</th><th>{t("budgets.amount")}</th><th>{t("budgets.who")}</th></tr></thead>
          <tbody>{b.changes.map((c) => (
            <tr key={c.at + c.change}><td>{when(c.at)}</td><td title={c.change}>{word("budgetChange", c.change)}</td>
              <td>{c.before !== null && c.before !== undefined ? `${money(c.before, b.currency)} → ` : ""}{money(c.amount, b.currency)}</td>
              <td>{c.by}<div class="muted">{c.reason}</div></td></tr>
          ))}</tbody>
        </table></div>
      </details>
    </section>
  );
}

function NewBudget({ call, reload }) {
  const empty = { id: "", name: "", currency: "VND", amount: "", period: "LIFETIME",
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", shards: "1", sponsor: "", reason: "" };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const set = (name) => (e) => setForm({ ...form, [name]: e.currentTarget.value });
  async function save(e) {
    e.preventDefault();
    const minor = parseAmount(form.amount, form.currency);
    if (minor === null) { setErrors({ amount: t("till.notAnAmount", { example: money(1234500, form.currency) }) }); return; }
    try {
      const result = (await call(CREATE, { i: { id: form.id.trim(), name: form.name.trim(),
        currency: form.currency.trim().toUpperCase(), amount: minor, period: form.period,
        timezone: form.timezone.trim(), shards: Number(form.shards) || 1,
        sponsor: form.sponsor.trim() || null, reason: form.reason.trim() || "set up" } })).createBudget;
      if (result.errors.length) {
        setErrors(byField(result.errors));
        return;
      }
      setForm(empty); setErrors({}); setProblem(null);
      reload();
    } catch (failure) { setProblem(failure); }
  }
  return (
    <form class="card" onSubmit={save} noValidate>
      <h2>{t("budgets.new")}</h2>
      <Problem error={problem} />
      <div class="grid">
        <Field label={t("common.id")} path="id" errors={errors}><input id="budget-id" value={form.id} onInput={set("id")} /></Field>
        <Field label={t("common.name")} path="name" errors={errors}><input id="budget-name" value={form.name} onInput={set("name")} /></Field>
        <Field label={t("budgets.currency")} path="currency" errors={errors}><input id="budget-currency" value={form.currency} onInput={set("currency")} /></Field>
        <Field label={t("budgets.amountPer")} path="amount" errors={errors}><input id="budget-amount" inputmode="decimal" value={form.amount} onInput={set("amount")} /></Field>
        <Field label={t("budgets.period")} path="period" errors={errors}>
          <select id="budget-period" value={form.period} onChange={set("period")}>
            {PERIODS.map((p) => <option key={p} value={p}>{word("budgetPeriod", p)}</option>)}
          </select>
        </Field>
        <Field label={t("campaigns.timezone")} path="timezone" errors={errors}><input id="budget-timezone" value={form.timezone} onInput={set("timezone")} /></Field>
        <Field label={t("budgets.shards")} path="shards" errors={errors}><input id="budget-shards" inputmode="numeric" value={form.shards} onInput={set("shards")} /></Field>
        <Field label={t("budgets.sponsor")} path="sponsor" errors={errors}><input id="budget-sponsor" value={form.sponsor} onInput={set("sponsor")} /></Field>
      </div>
      <button class="primary" type="submit">{t("common.save")}</button>
    </form>
  );
}
