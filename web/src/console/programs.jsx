// Quests and events: each a page in pages.js, read from the same admin API.
import { when } from "../shared/api.js";
import { Badge, Problem, useQuery } from "./ui.jsx";

const QUESTS = `{ quests(first: 100) { nodes { id name status version startsAt endsAt repeat
  steps { id name } reward { points badge } } } }`;
const BOARD = `query($q: String) { leaderboard(questId: $q, first: 5) { rank memberId score } }`;
const EVENTS = `{ events(first: 100) { nodes { id name venue status startsAt capacity seatsLeft
  waitlistLength } } }`;

export function QuestList({ call }) {
  const { data, error } = useQuery(call, QUESTS);
  return (
    <section class="card">
      <h2>Quests</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>Quest</th><th>Status</th><th>Runs</th><th>Steps</th><th>Reward</th><th>Leaders</th></tr></thead>
        <tbody>{(data ? data.quests.nodes : []).map((q) => (
          <tr key={q.id}>
            <td>{q.name}<div class="muted">{q.id} · version {q.version} · {q.repeat.toLowerCase()}</div></td>
            <td><Badge value={q.status} /></td>
            <td>{when(q.startsAt)} – {when(q.endsAt)}</td>
            <td>{q.steps.map((s) => s.name).join(", ")}</td>
            <td>{[q.reward.points ? `${q.reward.points} points` : "", q.reward.badge ? `badge ${q.reward.badge}` : ""].filter(Boolean).join(", ")}</td>
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
  return rows.length ? <ol>{rows.map((r) => <li key={r.memberId}>{r.memberId} ({r.score / 10} %)</li>)}</ol>
    : <span class="muted">nobody yet</span>;
}

export function EventList({ call }) {
  const { data, error } = useQuery(call, EVENTS, {}, 10000);
  return (
    <section class="card">
      <h2>Events</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>Event</th><th>Status</th><th>Starts</th><th>Seats left</th><th>Waiting</th></tr></thead>
        <tbody>{(data ? data.events.nodes : []).map((e) => (
          <tr key={e.id}>
            <td>{e.name}<div class="muted">{e.id} · {e.venue}</div></td>
            <td><Badge value={e.status} /></td>
            <td>{when(e.startsAt)}</td>
            <td>{e.seatsLeft} of {e.capacity}</td>
            <td>{e.waitlistLength}</td>
          </tr>
        ))}</tbody>
      </table></div>
    </section>
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
      {data && !data.surveys.length && <section class="card"><p class="muted">No surveys.</p></section>}
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
      <div class="row"><h2>{survey.name}</h2><button onClick={download}>Answers as CSV</button></div>
      <p class="muted">{survey.id} · {when(survey.opensAt)} – {when(survey.closesAt)} · {survey.rewardPoints} points
        · {results ? `${results.submissions} submissions` : ""}</p>
      <table><tbody>{survey.questions.map((q) => {
        const r = results && results.questions.find((x) => x.questionId === q.id);
        return (
          <tr key={q.id}><td>{q.text}<div class="muted">{q.kind}</div></td>
            <td>{r ? (r.average !== null && r.average !== undefined ? `average ${r.average.toFixed(2)}`
              : r.counts.map((c) => `${c.option}: ${c.count}`).join(", ") || `${r.answered} answers`) : ""}</td></tr>
        );
      })}</tbody></table>
    </section>
  );
}

export function ReferralList({ call }) {
  const { data, error } = useQuery(call, REFERRALS);
  return (
    <section class="card">
      <h2>Referrals</h2>
      <Problem error={error} />
      <div class="table-wrap"><table>
        <thead><tr><th>Company referred</th><th>By</th><th>Status</th><th>Registered</th><th>Qualify by</th></tr></thead>
        <tbody>{(data ? data.referrals : []).map((r) => (
          <tr key={r.referredAccountId}>
            <td>{r.referredAccountId}<div class="muted">{r.referredMemberId}</div></td>
            <td>{r.advocateId}</td>
            <td><Badge value={r.status} />{r.reason ? <div class="muted">{r.reason}</div> : null}</td>
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
        <h2>Tier ladder</h2>
        <Problem error={error} />
        {data && !ladder && <p class="muted">This program has no tier ladder.</p>}
        {ladder && (
          <>
            <p class="muted">{ladder.metric.replace(/_/g, " ").toLowerCase()} per {ladder.window.replace(/_/g, " ").toLowerCase()}
              {" "}({ladder.timezone}), climbed by {ladder.level === "ACCOUNT" ? "companies" : "members"}; version {ladder.version}</p>
            <table><thead><tr><th>Tier</th><th>From</th><th>Earns</th></tr></thead>
              <tbody>{ladder.tiers.map((t) => (
                <tr key={t.id}><td>{t.name}<div class="muted">{t.id}</div></td><td>{t.threshold}</td><td>{t.pointsMultiplier} %</td></tr>
              ))}</tbody></table>
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
      <h3>Leaders in {period}</h3>
      <Problem error={error} />
      <table data-testid="ladder-board"><tbody>{(data ? data.leaderboard : []).map((r) => (
        <tr key={r.rank}><td>{r.rank}</td><td>{r.memberId || r.accountId}</td><td>{r.score}</td></tr>
      ))}</tbody></table>
      {data && !data.leaderboard.length && <p class="muted">Nobody on the board yet.</p>}
    </section>
  );
}
