// Quests, events, surveys, referrals and the tier ladder: each a page in pages.js, read
// from the same admin API.
import { useState } from "preact/hooks";
import { number, t, when, word } from "../shared/i18n.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

const QUESTS = `{ quests(first: 100) { nodes { id name status version startsAt endsAt timezone repeat
  steps { id name } reward { points badge } } } }`;
const BOARD = `query($q: String) { leaderboard(questId: $q, first: 5) { rank memberId score } }`;
const EVENTS = `{ events(first: 100) { nodes { id name venue status startsAt timezone capacity seatsLeft
  waitlistLength } } }`;
const LINE = `query($e: String!) { eventRegistrations(eventId: $e) { memberId status acceptedAt
  position offerExpiresAt } }`;

export function QuestList({ call }) {
  const { data, error } = useQuery(call, QUESTS);
  return (
    <section class="card">
      <h2>{t("quests.title")}</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>{t("quests.quest")}</th><th>{t("common.status")}</th><th>{t("quests.runs")}</th><th>{t("quests.steps")}</th><th>{t("quests.reward")}</th><th>{t("quests.leaders")}</th></tr></thead>
        <tbody>{(data ? data.quests.nodes : []).map((q) => (
          <tr key={q.id}>
            <td>{q.name}<div class="muted">{t("quests.idLine", { id: q.id, version: q.version, repeat: word("repeat", q.repeat) })}</div></td>
            <td><Badge value={q.status} group="questStatus" /></td>
            <td>{when(q.startsAt, q.timezone)} – {when(q.endsAt, q.timezone)}</td>
            <td>{q.steps.map((s) => s.name).join(", ")}</td>
            <td>{[q.reward.points ? t("quests.points", { count: q.reward.points }) : "", q.reward.badge ? t("quests.badge", { badge: q.reward.badge }) : ""].filter(Boolean).join(", ")}</td>
            <td><Leaders call={call} questId={q.id} /></td>
          </tr>
        ))}</tbody>
      </table></div>
    </section>
  );
}

function Leaders({ call, questId }) {
  const { data } = useQuery(call, BOARD, { q: questId });
  const rows = data ? data.leaderboard : [];
  return rows.length ? <ol>{rows.map((r) => <li key={r.memberId}>{r.memberId} ({number(r.score / 10)} %)</li>)}</ol>
    : <span class="muted">{t("quests.nobody")}</span>;
}

export function EventList({ call }) {
  const { data, error } = useQuery(call, EVENTS, {}, 10000);
  const [open, setOpen] = useState(null);
  return (
    <section class="card">
      <h2>{t("events.title")}</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>{t("events.event")}</th><th>{t("common.status")}</th><th>{t("events.starts")}</th><th>{t("events.seatsLeft")}</th><th>{t("events.waiting")}</th><th></th></tr></thead>
        <tbody>{(data ? data.events.nodes : []).map((e) => (
          <tr key={e.id}>
            <td>{e.name}<div class="muted">{e.id} · {e.venue}</div></td>
            <td><Badge value={e.status} group="eventStatus" /></td>
            <td>{when(e.startsAt, e.timezone)}</td>
            <td>{t("events.seatsOf", { left: e.seatsLeft, capacity: e.capacity })}</td>
            <td>{e.waitlistLength}</td>
            <td><button onClick={() => setOpen(open === e.id ? null : e.id)}>{open === e.id ? t("events.hideLine") : t("events.showLine")}</button></td>
          </tr>
        ))}</tbody>
      </table></div>
      {open && <Line call={call} eventId={open} />}
    </section>
  );
}

/** The line of one event: who waits, in order, since when; and the offers outstanding. */
function Line({ call, eventId }) {
  const { data, error } = useQuery(call, LINE, { e: eventId }, 10000);
  const all = data ? data.eventRegistrations : [];
  const waiting = all.filter((r) => r.status === "WAITLISTED").sort((a, b) => a.position - b.position);
  const offered = all.filter((r) => r.status === "OFFERED");
  return (
    <div data-testid="event-line">
      <Problem error={error} />
      <h3>{t("events.line", { id: eventId })}</h3>
      <div class="table-wrap"><table>
        <thead><tr><th>{t("events.position")}</th><th>{t("events.member")}</th><th>{t("events.since")}</th></tr></thead>
        <tbody>{waiting.map((r) => (
          <tr key={r.memberId}><td>{r.position}</td><td>{r.memberId}</td><td>{when(r.acceptedAt)}</td></tr>
        ))}</tbody>
      </table></div>
      {data && !waiting.length && <p class="muted">{t("events.nobodyWaiting")}</p>}
      <h3>{t("events.offers")}</h3>
      <div class="table-wrap"><table>
        <thead><tr><th>{t("events.member")}</th><th>{t("events.offerExpires")}</th></tr></thead>
        <tbody>{offered.map((r) => (
          <tr key={r.memberId}><td>{r.memberId}</td><td>{when(r.offerExpiresAt)}</td></tr>
        ))}</tbody>
      </table></div>
      {data && !offered.length && <p class="muted">{t("events.noOffers")}</p>}
    </div>
  );
}

const SURVEYS = `{ surveys { id name opensAt closesAt rewardPoints questions { id text kind } } }`;
const RESULTS = `query($s: String!) { surveyResults(surveyId: $s) { submissions
  questions { questionId answered average counts { option count } } } }`;
const CSV = `query($s: String!) { surveyAnswersCsv(surveyId: $s) }`;
const REFERRALS = `{ referrals { referredAccountId referredMemberId advocateId status reason
  registeredAt deadline qualifiedAt rewardDueAt } }`;

export function SurveyList({ call }) {
  const { data, error } = useQuery(call, SURVEYS);
  return (
    <>
      <Problem error={error} />
      {(data ? data.surveys : []).map((s) => <SurveyCard key={s.id} call={call} survey={s} />)}
      {data && !data.surveys.length && <section class="card"><p class="muted">{t("surveys.none")}</p></section>}
    </>
  );
}

function SurveyCard({ call, survey }) {
  const { data } = useQuery(call, RESULTS, { s: survey.id });
  const results = data && data.surveyResults;
  async function download() {
    const csv = (await call(CSV, { s: survey.id })).surveyAnswersCsv;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    link.download = `${survey.id}.csv`;
    link.click();
  }
  return (
    <section class="card">
      <div class="row"><h2>{survey.name}</h2><button onClick={download}>{t("surveys.csv")}</button></div>
      <p class="muted">{survey.id} · {when(survey.opensAt)} – {when(survey.closesAt)} · {t("quests.points", { count: survey.rewardPoints })}
        {results ? ` · ${t("surveys.submissions", { count: results.submissions })}` : ""}</p>
      <div class="table-wrap"><table><tbody>{survey.questions.map((q) => {
        const r = results && results.questions.find((x) => x.questionId === q.id);
        return (
          <tr key={q.id}><td>{q.text}<div class="muted">{word("questionKind", q.kind)}</div></td>
            <td>{r ? (r.average !== null && r.average !== undefined ? t("surveys.average", { value: number(Number(r.average.toFixed(2))) })
              : r.counts.map((c) => `${c.option}: ${c.count}`).join(", ") || t("surveys.answers", { count: r.answered })) : ""}</td></tr>
        );
      })}</tbody></table></div>
    </section>
  );
}

export function ReferralList({ call }) {
  const { data, error } = useQuery(call, REFERRALS);
  return (
    <section class="card">
      <h2>{t("referrals.title")}</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>{t("referrals.referred")}</th><th>{t("referrals.by")}</th><th>{t("common.status")}</th><th>{t("referrals.registered")}</th><th>{t("referrals.qualifyBy")}</th></tr></thead>
        <tbody>{(data ? data.referrals : []).map((r) => (
          <tr key={r.referredAccountId}>
            <td>{r.referredAccountId}<div class="muted">{r.referredMemberId}</div></td>
            <td>{r.advocateId}</td>
            <td><Badge value={r.status} group="referralStatus" />{r.reason ? <div class="muted">{r.reason}</div> : null}</td>
            <td>{when(r.registeredAt)}</td><td>{when(r.deadline)}</td>
          </tr>
        ))}</tbody>
      </table></div>
    </section>
  );
}

const LADDER = `{ tierLadder { metric window timezone level version currentPeriod
  tiers { id name threshold pointsMultiplier } } }`;
const LADDER_BOARD = `query($of: BoardOf!) { leaderboard(ladder: true, of: $of, first: 10) {
  rank memberId accountId score } }`;

export function TierLadder({ call }) {
  const { data, error } = useQuery(call, LADDER);
  const ladder = data && data.tierLadder;
  const of = ladder && ladder.level === "ACCOUNT" ? "COMPANIES" : "MEMBERS";
  return (
    <>
      <section class="card">
        <h2>{t("tiers.title")}</h2>
        <Problem error={error} />
        {data && !ladder && <p class="muted">{t("tiers.none")}</p>}
        {ladder && (
          <>
            <p class="muted">{t("tiers.summary", { metric: word("metric", ladder.metric), window: word("window", ladder.window),
              timezone: ladder.timezone, who: ladder.level === "ACCOUNT" ? t("tiers.companies") : t("tiers.members"), version: ladder.version })}</p>
            <div class="table-wrap"><table><thead><tr><th>{t("tiers.tier")}</th><th>{t("tiers.from")}</th><th>{t("tiers.earns")}</th></tr></thead>
              <tbody>{ladder.tiers.map((x) => (
                <tr key={x.id}><td>{x.name}<div class="muted">{x.id}</div></td><td>{number(x.threshold)}</td><td>{x.pointsMultiplier} %</td></tr>
              ))}</tbody></table></div>
          </>
        )}
      </section>
      {ladder && <LadderBoard call={call} of={of} period={ladder.currentPeriod} />}
    </>
  );
}

function LadderBoard({ call, of, period }) {
  const { data, error } = useQuery(call, LADDER_BOARD, { of }, 30000);
  return (
    <section class="card">
      <h3>{t("tiers.leaders", { period })}</h3>
      <Problem error={error} />
      <div class="table-wrap"><table data-testid="ladder-board">
        <thead><tr><th>{t("tiers.rank")}</th><th>{of === "COMPANIES" ? t("members.company") : t("members.member")}</th><th>{t("tiers.score")}</th></tr></thead>
        <tbody>{(data ? data.leaderboard : []).map((r) => (
          <tr key={r.rank}><td>{r.rank}</td><td>{r.memberId || r.accountId}</td><td>{number(r.score)}</td></tr>
        ))}</tbody></table></div>
      {data && !data.leaderboard.length && <p class="muted">{t("tiers.nobody")}</p>}
    </section>
  );
}
