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
