// A distributor's staff on a phone: the companies under their distributor, each with its
// tier, and the ones under it. Read only: the API lets this token change nothing.
import { useEffect, useState } from "preact/hooks";
import { t } from "../shared/i18n.js";
import { Bar } from "./bar.jsx";
import { sentence } from "./sentences.js";

const COMPANIES = `query($after: String) { myCompanies(first: 50, after: $after) {
  nodes { id name standing { tier tierProgress { value nextTier } } }
  pageInfo { hasNextPage endCursor } } }`;
const UNDER = `query($id: String!) { channelCompany(id: $id) { id children(first: 50) {
  nodes { id name standing { tier } } } } }`;

export function Distributor({ call, who, signOut, relabel }) {
  const [rows, setRows] = useState(null);
  const [next, setNext] = useState(null);
  const [open, setOpen] = useState({});
  const [message, setMessage] = useState(null);

  const fail = (error) => {
    if (error.code === "UNAUTHORIZED") signOut(sentence(error));
    else setMessage(sentence(error, error.message));
  };
  const more = (after) => call(COMPANIES, { after }).then((d) => {
    setRows((r) => [...(after ? r || [] : []), ...d.myCompanies.nodes]);
    setNext(d.myCompanies.pageInfo.hasNextPage ? d.myCompanies.pageInfo.endCursor : null);
  }).catch(fail);
  useEffect(() => { more(null); }, []);
  const expand = (id) => call(UNDER, { id }).then((d) => setOpen((o) => ({ ...o, [id]: d.channelCompany.children.nodes })))
    .catch(fail);

  return (
    <>
      <Bar title={t("channel.title")} who={`${who.subject} · ${who.program}`} signOut={signOut} relabel={relabel} />
      <main class="grid">
        <section class="card">
          {message && <p class="error" role="alert">{message}</p>}
          {rows && !rows.length && <p class="muted">{t("common.none")}</p>}
          <ul data-testid="channel-companies">{(rows || []).map((c) => (
            <li key={c.id} data-company={c.id}>
              <strong>{c.name}</strong> · {c.standing.tier}
              {c.standing.tierProgress && c.standing.tierProgress.nextTier &&
                <span class="muted"> ({t("channel.progress", { value: c.standing.tierProgress.value, next: c.standing.tierProgress.nextTier })})</span>}
              {" "}{!open[c.id] && <button onClick={() => expand(c.id)}>{t("channel.under")}</button>}
              {open[c.id] && <ul>{open[c.id].length
                ? open[c.id].map((u) => <li key={u.id}>{u.name} · {u.standing.tier}</li>)
                : <li class="muted">{t("common.none")}</li>}</ul>}
            </li>))}
          </ul>
          {next && <button onClick={() => more(next)}>{t("channel.more")}</button>}
        </section>
      </main>
    </>
  );
}
