// Reports run as jobs on the facts lake: pick one and a period, run it, watch it finish,
// read it as a chart and a table, and download its CSV or Parquet (links that work for a
// short while). The rows come from the job's preview; the files hold every row.
import { useEffect, useState } from "preact/hooks";
import { newKey } from "../shared/api.js";
import { t, when } from "../shared/i18n.js";
import { DayChart } from "./day_chart.jsx";
import { Liability } from "./liability.jsx";
import { Badge, byField, Field, Problem, useQuery } from "./ui.jsx";

const KINDS = `{ reportKinds { name title narrowed }
  reportJobs(first: 10) { nodes { id report from to status createdAt } } }`;
const START = `mutation($i: StartReportInput!) { startReport(input: $i) {
  job { id } errors { code field message } } }`;
const JOB = `query($id: String!) { reportJob(id: $id) { id report from to status rows columns
  preview error files { format url } } }`;
const PERIODS = ["day", "week", "month"];
const POLL_MS = 1000;
const isoDay = (d) => d.toISOString().slice(0, 10);

export function ReportJobs({ call }) {
  const { data, error, reload } = useQuery(call, KINDS);
  const [shown, setShown] = useState(null);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const kinds = data ? data.reportKinds : [];
  const title = (name) => (kinds.find((k) => k.name === name) || { title: name }).title;

  async function run(e) {
    e.preventDefault();
    const f = e.currentTarget.elements; // read before any await: the event is gone then
    const input = { report: f.report.value, from: f.from.value, to: f.to.value, idempotencyKey: newKey() };
    try {
      const answer = (await call(START, { i: input })).startReport;
      if (answer.errors.length) {
        setErrors(byField(answer.errors));
        return;
      }
      setErrors({}); setFailure(null);
      setShown(answer.job.id);
      reload();
    } catch (problem) { setFailure(problem); }
  }

  const today = new Date();
  return (
    <>
      <div class="grid">
        <section class="card">
          <h2>{t("reportJobs.title")}</h2>
          <p class="muted">{t("reportJobs.lead")}</p>
          <Problem error={error || failure} />
          <form onSubmit={run} data-testid="report-form">
            <Field label={t("reportJobs.report")} path="report" errors={errors}>
              <select id="report" name="report">{kinds.map((k) => <option key={k.name} value={k.name}>{k.title}</option>)}</select>
            </Field>
            <Field label={t("reportJobs.from")} path="from" errors={errors}>
              <input id="from" name="from" type="date" defaultValue={isoDay(new Date(today - 29 * 86400000))} />
            </Field>
            <Field label={t("reportJobs.to")} path="to" errors={errors}>
              <input id="to" name="to" type="date" defaultValue={isoDay(today)} />
            </Field>
            <button type="submit">{t("reportJobs.run")}</button>
          </form>
        </section>
        <section class="card">
          <h3>{t("reportJobs.recent")}</h3>
          <ul data-testid="report-jobs">{(data ? data.reportJobs.nodes : []).map((j) => (
            <li key={j.id} data-job={j.id}>
              <button type="button" class="link" onClick={() => setShown(j.id)}>{title(j.report)}</button>{" "}
              · {j.from} – {j.to} · <Badge value={j.status} group="reportStatus" />
              <div class="muted">{when(j.createdAt)}</div>
            </li>))}
          </ul>
        </section>
      </div>
      {shown && <JobView key={shown} call={call} id={shown} title={title} onEnd={reload} />}
    </>
  );
}

/** The job `id` as `query` answers it under `field`, read every POLL_MS until it ends
 * (a read that fails is tried again); `onEnd` once it has. No id: no job. */
function useJob(call, query, field, id, onEnd) {
  const [job, setJob] = useState(null);
  const [failure, setFailure] = useState(null);
  useEffect(() => {
    setJob(null);
    if (!id) return undefined;
    let timer = null;
    let live = true;
    const look = () => call(query, { id }).then((d) => {
      if (!live) return;
      setJob(d[field]); setFailure(null);
      if (d[field] && ["DONE", "FAILED"].includes(d[field].status)) { if (onEnd) onEnd(); }
      else timer = setTimeout(look, POLL_MS);
    }).catch((problem) => { if (live) { setFailure(problem); timer = setTimeout(look, POLL_MS); } });
    look();
    return () => { live = false; clearTimeout(timer); };
  }, [id]);
  return { job, failure };
}

/** One report job, polled until it ends. */
function JobView({ call, id, title, onEnd }) {
  const { job, failure } = useJob(call, JOB, "reportJob", id, onEnd);
  if (!job) return <section class="card"><Problem error={failure} /><p class="muted">{t("common.loading")}</p></section>;
  return (
    <section class="card" data-testid="report-job" data-status={job.status}>
      <h3>{title(job.report)} · {job.from} – {job.to} <Badge value={job.status} group="reportStatus" /></h3>
      <Problem error={failure} />
      {job.error && <p class="error" role="alert">{job.error}</p>}
      {job.status === "DONE" && (
        <>
          <p class="downloads"><span>{t("reportJobs.rows", { count: job.rows ?? job.preview.length })}</span>
            {job.files.map((f) => <a key={f.format} href={f.url} download data-format={f.format}>{t("reportJobs.download", { format: f.format })}</a>)}
          </p>
          <ReportChart columns={job.columns} preview={job.preview} from={job.from} to={job.to} />
          <div class="table-wrap"><table data-testid="report-rows">
            <thead><tr>{job.columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>{job.preview.map((row, i) => <tr key={i}>{row.map((v, j) => <td key={j}>{v ?? "–"}</td>)}</tr>)}</tbody>
          </table></div>
          {job.rows !== null && job.rows > job.preview.length && <p class="muted">{t("reportJobs.more", { count: job.preview.length })}</p>}
        </>
      )}
    </section>
  );
}

/** The report's first two numeric columns per period (summed over its other groups), every
 * day, week or month of the job's period drawn (quiet ones at zero), where it has a period
 * column; a report over the whole history is a table only. */
function ReportChart({ columns, preview, from, to }) {
  const period = columns.findIndex((c) => PERIODS.includes(c));
  if (period < 0 || !preview.length) return null;
  const numeric = columns.map((c, i) => i).filter((i) => i !== period &&
    preview.every((row) => row[i] === null || Number.isFinite(Number(row[i]))));
  const shown = numeric.slice(0, 2);
  if (!shown.length) return null;
  const grain = columns[period];
  const dayOf = (value) => (grain === "month" ? `${value}-01` : value);
  const byPeriod = Object.fromEntries(periodsBetween(grain, from, to).map((day) => [day, { day }]));
  for (const row of preview) {
    const sums = byPeriod[dayOf(row[period])] || (byPeriod[dayOf(row[period])] = { day: dayOf(row[period]) });
    for (const i of shown) sums[columns[i]] = (sums[columns[i]] || 0) + Number(row[i] || 0);
  }
  const rows = Object.values(byPeriod).sort((a, b) => a.day.localeCompare(b.day));
  return <DayChart testid="report-chart" rows={rows} series={shown.map((i) => ({ key: columns[i], label: columns[i], bar: true }))} />;
}

/** The first day of every day, week (Monday) or month from `from` to `to` (YYYY-MM-DD). */
export function periodsBetween(grain, from, to) {
  const start = new Date(`${from}T00:00:00Z`);
  if (grain === "week") start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (grain === "month") start.setUTCDate(1);
  const end = new Date(`${to}T00:00:00Z`);
  const found = [];
  for (const at = start; at <= end && found.length < 800;) {
    found.push(isoDay(at));
    if (grain === "month") at.setUTCMonth(at.getUTCMonth() + 1);
    else at.setUTCDate(at.getUTCDate() + (grain === "week" ? 7 : 1));
  }
  return found;
}

const STATEMENTS = `mutation($i: StatementExportInput!) { startStatementExport(input: $i) {
  export { id } errors { code field message } } }`;
const STATEMENT_JOB = `query($id: String!) { statementExport(id: $id) { id period status members companies error } }`;
const LINK = `query($h: StatementHolder!, $id: String!, $p: String!) {
  statementLink(holder: $h, holderId: $id, period: $p) { path } }`;
const REVOKE = `mutation($h: StatementHolder!, $id: String!) { revokeStatementLinks(holder: $h, holderId: $id) {
  version errors { code field message } } }`;

/** Every member's and company's statement of a month, made by a job; a holder's link looked
 * up (to send it), and all of a holder's links revoked at once. */
function Statements({ call }) {
  const [jobId, setJobId] = useState(null);
  const { job, failure: unread } = useJob(call, STATEMENT_JOB, "statementExport", jobId);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  const [link, setLink] = useState(null);
  const month = isoDay(new Date(Date.now() - 28 * 86400000)).slice(0, 7);

  async function make(e) {
    e.preventDefault();
    const period = e.currentTarget.elements.period.value;
    try {
      const answer = (await call(STATEMENTS, { i: { period, idempotencyKey: newKey() } })).startStatementExport;
      if (answer.errors.length) { setErrors(byField(answer.errors)); return; }
      setErrors({}); setFailure(null);
      setJobId(answer.export.id);
    } catch (problem) { setFailure(problem); }
  }

  async function find(e, revoke) {
    e.preventDefault();
    const f = e.currentTarget.form ? e.currentTarget.form.elements : e.currentTarget.elements;
    const who = { h: f.holder.value, id: f.holderId.value.trim() };
    try {
      if (revoke) {
        const answer = (await call(REVOKE, who)).revokeStatementLinks;
        if (answer.errors.length) { setErrors(byField(answer.errors)); return; }
        setLink({ revoked: true });
      } else {
        const found = (await call(LINK, { ...who, p: f.linkPeriod.value })).statementLink;
        setLink({ url: `${call.apiBase}${found.path}` });
      }
      setErrors({}); setFailure(null);
    } catch (problem) { setFailure(problem); }
  }

  return (
    <div class="grid">
      <section class="card">
        <h3>{t("statements.title")}</h3>
        <p class="muted">{t("statements.lead")}</p>
        <Problem error={failure || unread} />
        <form onSubmit={make} data-testid="statements-form">
          <Field label={t("statements.period")} path="period" errors={errors}>
            <input id="period" name="period" defaultValue={month} placeholder="2026-11" />
          </Field>
          <button type="submit">{t("statements.make")}</button>
        </form>
        {job && <p data-testid="statements-job" data-status={job.status}>
          <Badge value={job.status} group="reportStatus" />{" "}
          {t("statements.written", { members: job.members, companies: job.companies })}
          {job.error && <span class="error"> {job.error}</span>}</p>}
      </section>
      <section class="card">
        <h3>{t("statements.links")}</h3>
        <p class="muted">{t("statements.linksLead")}</p>
        <form onSubmit={(e) => find(e, false)} data-testid="statement-link-form">
          <Field label={t("statements.holder")} path="holder" errors={errors}>
            <select id="holder" name="holder"><option value="MEMBER">{t("statements.member")}</option>
              <option value="COMPANY">{t("statements.company")}</option></select>
          </Field>
          <Field label={t("statements.holderId")} path="holderId" errors={errors}><input id="holderId" name="holderId" /></Field>
          <Field label={t("statements.period")} path="linkPeriod" errors={errors}>
            <input id="linkPeriod" name="linkPeriod" defaultValue={month} />
          </Field>
          <div class="row">
            <button type="submit">{t("statements.find")}</button>
            <button type="button" class="danger" onClick={(e) => find(e, true)}>{t("statements.revoke")}</button>
          </div>
        </form>
        {link && link.url && <p><a href={link.url} target="_blank" rel="noreferrer" data-testid="statement-link">{link.url}</a></p>}
        {link && link.revoked && <p data-testid="statement-revoked">{t("statements.revoked")}</p>}
      </section>
    </div>
  );
}

const MEASURE = `mutation($i: MeasureCampaignReturnInput!) { measureCampaignReturn(input: $i) {
  job { id } errors { code field message } } }`;
const MEASURED = `query($id: String!) { reportJob(id: $id) { id status error campaignReturn {
  treated { members revenue mean } heldOut { members revenue mean }
  incrementalPerMember low high cost marginPercent roi verdict } } }`;
const CAMPAIGNS = `{ campaigns(first: 100) { nodes { id name holdoutPercent } } }`;

/** A campaign's return against its holdout: both groups side by side, the difference with
 * its 95 % interval, the cost and the ROI, and in words whether it shows anything. */
function CampaignReturn({ call }) {
  const { data } = useQuery(call, CAMPAIGNS);
  const [jobId, setJobId] = useState(null);
  const { job, failure: unread } = useJob(call, MEASURED, "reportJob", jobId);
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  async function measure(e) {
    e.preventDefault();
    const f = e.currentTarget.elements;
    const input = { campaignId: f.campaign.value, marginPercent: Number(f.margin.value),
      tailDays: Number(f.tail.value), idempotencyKey: newKey() };
    try {
      const answer = (await call(MEASURE, { i: input })).measureCampaignReturn;
      if (answer.errors.length) { setErrors(byField(answer.errors)); return; }
      setErrors({}); setFailure(null); setJobId(answer.job.id);
    } catch (problem) { setFailure(problem); }
  }
  const held = (data ? data.campaigns.nodes : []).filter((c) => c.holdoutPercent > 0);
  const r = job && job.campaignReturn;
  const figure = (v) => (v === null || v === undefined ? "–" : Number(v).toFixed(0));
  return (
    <section class="card">
      <h3>{t("roi.title")}</h3>
      <p class="muted">{t("roi.lead")}</p>
      <Problem error={failure || unread} />
      <form onSubmit={measure} data-testid="roi-form" class="row">
        <Field label={t("roi.campaign")} path="campaignId" errors={errors}>
          <select id="campaign" name="campaign">{held.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
        </Field>
        <Field label={t("roi.margin")} path="marginPercent" errors={errors}><input id="margin" name="margin" defaultValue="20" inputMode="numeric" /></Field>
        <Field label={t("roi.tail")} path="tailDays" errors={errors}><input id="tail" name="tail" defaultValue="14" inputMode="numeric" /></Field>
        <button type="submit">{t("roi.measure")}</button>
      </form>
      {job && <p><Badge value={job.status} group="reportStatus" /> {job.error}</p>}
      {r && (
        <div data-testid="roi-result">
          <div class="table-wrap"><table>
            <thead><tr><th></th><th>{t("roi.members")}</th><th>{t("roi.revenue")}</th><th>{t("roi.perMember")}</th></tr></thead>
            <tbody>
              <tr data-group="treated"><td>{t("roi.treated")}</td><td>{r.treated.members}</td><td>{r.treated.revenue}</td><td>{figure(r.treated.mean)}</td></tr>
              <tr data-group="heldOut"><td>{t("roi.heldOut")}</td><td>{r.heldOut.members}</td><td>{r.heldOut.revenue}</td><td>{figure(r.heldOut.mean)}</td></tr>
            </tbody>
          </table></div>
          <p data-testid="roi-lift">{t("roi.lift", { lift: figure(r.incrementalPerMember), low: figure(r.low), high: figure(r.high) })}</p>
          <p>{t("roi.cost", { cost: r.cost, roi: r.roi === null ? "–" : `${(100 * r.roi).toFixed(0)} %` })}</p>
          <p><strong data-testid="roi-verdict">{r.verdict}</strong></p>
        </div>
      )}
    </section>
  );
}

/** The Reports page: the report jobs, a campaign's return, the statements, then what the
 * program owes. */
export function Reports({ call }) {
  return <><ReportJobs call={call} /><CampaignReturn call={call} /><Statements call={call} /><Liability call={call} /></>;
}
