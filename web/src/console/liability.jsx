// What the program owes now (points valued at its point value, vouchers by currency) and
// what lapsed unused (breakage), from the liability report of the admin API.
import { useState } from "preact/hooks";
import { money, number, t } from "../shared/i18n.js";
import { DayChart } from "./day_chart.jsx";
import { Problem, useQuery } from "./ui.jsx";

const REPORT = `{ liability { asOf pointsOutstanding pointsValue pointCurrency
  pointsByExpiry { month amount } pointsPending pointsOwedByHolders
  pointsBreakageByMonth { month amount } averageDaysToRedeem
  vouchers { unit issued redeemed redemptionRate outstandingCount outstanding
    outstandingByExpiry { month amount } breakageByMonth { month amount } } } }`;

const TRENDS = `query($d: Int!) { trends(days: $d) { timezone days { day pointsEarned pointsSpent
  redemptions { merchantId count } } } }`;

/** Points earned and spent, and redemptions by merchant, day by day. */
function Trends({ call }) {
  const [range, setRange] = useState(30);
  const { data, error } = useQuery(call, TRENDS, { d: range });
  if (!data) return <section class="card"><Problem error={error} /></section>;
  const days = data.trends.days;
  const merchants = [...new Set(days.flatMap((d) => d.redemptions.map((r) => r.merchantId)))].sort();
  const byMerchant = days.map((d) => ({ day: d.day, ...Object.fromEntries(d.redemptions.map((r) => [r.merchantId, r.count])) }));
  return (
    <div class="grid">
      <section class="card">
        <h3>{t("reports.points")}</h3>
        <p class="muted">{t("reports.zone", { zone: data.trends.timezone })}</p>
        <DayChart testid="points-chart" rows={days} range={range} onRange={setRange} series={[
          { key: "pointsEarned", label: t("reports.earned"), bar: true },
          { key: "pointsSpent", label: t("reports.spent"), bar: true }]} />
      </section>
      <section class="card">
        <h3>{t("reports.redemptions")}</h3>
        {merchants.length ? <DayChart testid="redemptions-chart" rows={byMerchant} range={range} onRange={setRange}
          series={merchants.map((m) => ({ key: m, label: m }))} /> : <p class="muted">{t("common.none")}</p>}
      </section>
    </div>
  );
}

const asMoney = (amount, unit) => (unit === "USES" ? t("liability.uses", { count: amount }) : money(amount, unit));

function Months({ rows, show }) {
  if (!rows.length) return <p class="muted">{t("common.none")}</p>;
  return (
    <div class="table-wrap"><table>
      <thead><tr><th>{t("liability.month")}</th><th>{t("budgets.amount")}</th></tr></thead>
      <tbody>{rows.map((r) => <tr key={r.month}><td>{r.month === "NEVER" ? t("liability.never") : r.month}</td><td>{show(r.amount)}</td></tr>)}</tbody>
    </table></div>
  );
}

export function Liability({ call }) {
  const { data, error } = useQuery(call, REPORT);
  if (!data) return <section class="card"><Problem error={error} /><p class="muted">{t("common.loading")}</p></section>;
  const r = data.liability;
  const points = (n) => t("quests.points", { count: n });
  return (
    <>
      <Trends call={call} />
      <section class="card">
        <h2>{t("liability.title")}</h2>
        <p class="muted">{t("liability.lead")}</p>
        <div class="grid">
          <div><div class="muted">{t("liability.pointsOutstanding")}</div><div class="big" data-testid="points-outstanding">{number(r.pointsOutstanding)}</div>
            {r.pointsValue !== null && <div>{money(r.pointsValue, r.pointCurrency)}</div>}</div>
          <div><div class="muted">{t("liability.pending")}</div><div class="big">{number(r.pointsPending)}</div></div>
          <div><div class="muted">{t("liability.owed")}</div><div class="big">{number(r.pointsOwedByHolders)}</div></div>
          <div><div class="muted">{t("liability.daysToRedeem")}</div><div class="big">{r.averageDaysToRedeem ?? "–"}</div></div>
        </div>
      </section>
      <div class="grid">
        <section class="card"><h3>{t("liability.byExpiry")}</h3><Months rows={r.pointsByExpiry} show={points} /></section>
        <section class="card"><h3>{t("liability.pointsBreakage")}</h3><Months rows={r.pointsBreakageByMonth} show={points} /></section>
      </div>
      {r.vouchers.map((v) => (
        <section class="card" key={v.unit} data-unit={v.unit}>
          <h3>{t("liability.vouchers", { unit: v.unit === "USES" ? t("liability.itemVouchers") : v.unit })}</h3>
          <p>{t("liability.voucherLine", { issued: v.issued, redeemed: v.redeemed, rate: v.redemptionRate === null ? "–" : `${(100 * v.redemptionRate).toFixed(1)} %` })}</p>
          <p><strong data-testid="vouchers-outstanding">{asMoney(v.outstanding, v.unit)}</strong> {t("liability.owedOn", { count: v.outstandingCount })}</p>
          <div class="grid">
            <div><h4>{t("liability.byExpiry")}</h4><Months rows={v.outstandingByExpiry} show={(n) => asMoney(n, v.unit)} /></div>
            <div><h4>{t("liability.voucherBreakage")}</h4><Months rows={v.breakageByMonth} show={(n) => asMoney(n, v.unit)} /></div>
          </div>
        </section>
      ))}
    </>
  );
}
