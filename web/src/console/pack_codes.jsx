// Codes on packs: a batch made for the printer (its CSV downloaded here, the only time the
// codes are shown), the batches with their claims, and printed and claimed per region.
import { useState } from "preact/hooks";
import { payload } from "../shared/api.js";
import { t, when } from "../shared/i18n.js";
import { byField, Field, Problem, useQuery } from "./ui.jsx";

const LISTS = `{ packCodesByRegion { region batches printed claimed }
  packCodeBatches(first: 50) { nodes { id name points count claimed region expiresAt } } }`;
const CREATE = `mutation($i: PackCodeBatchInput!) { createPackCodeBatch(input: $i) {
  csv errors { code field message } } }`;

const rate = (claimed, printed) => printed ? `${((100 * claimed) / printed).toFixed(1)} %` : "–";

export function PackCodes({ call }) {
  const { data, error, reload } = useQuery(call, LISTS);
  return (
    <>
      <section class="card">
        <h2>{t("packs.title")}</h2>
        <p class="muted">{t("packs.lead")}</p>
        <Problem error={error} />
        <div class="table-wrap"><table data-testid="pack-regions">
          <thead><tr><th>{t("packs.region")}</th><th>{t("packs.batches")}</th><th>{t("packs.printed")}</th><th>{t("packs.claimed")}</th></tr></thead>
          <tbody>{(data ? data.packCodesByRegion : []).map((r) => (
            <tr key={r.region || "-"} data-region={r.region || ""}><td>{r.region || t("packs.noRegion")}</td><td>{r.batches}</td>
              <td>{r.printed}</td><td>{r.claimed} ({rate(r.claimed, r.printed)})</td></tr>))}
          </tbody>
        </table></div>
      </section>
      <div class="grid">
        <section class="card">
          <h3>{t("packs.list")}</h3>
          <ul data-testid="pack-batches">{(data ? data.packCodeBatches.nodes : []).map((b) => (
            <li key={b.id} data-batch={b.id}><strong>{b.name}</strong> · {b.region || t("packs.noRegion")} ·{" "}
              {t("packs.claimedOf", { claimed: b.claimed, count: b.count })} · {t("packs.points", { points: b.points })}
              <div class="muted">{t("packs.expires", { at: when(b.expiresAt) })}</div></li>))}
          </ul>
        </section>
        <NewBatch call={call} done={reload} />
      </div>
    </>
  );
}

function NewBatch({ call, done }) {
  const [errors, setErrors] = useState({});
  const [failure, setFailure] = useState(null);
  async function make(e) {
    e.preventDefault();
    const f = e.currentTarget.elements; // read before any await: the event is gone then
    const input = { id: f.id.value.trim(), name: f.name.value.trim(), points: Number(f.points.value),
      count: Number(f.count.value), expiresAt: new Date(f.expires.value).toISOString(),
      region: f.region.value.trim() || null };
    try {
      const answer = (await call(CREATE, { i: input })).createPackCodeBatch;
      if (answer.errors.length) {
        setErrors(byField(answer.errors));
        return;
      }
      payload(answer);
      setErrors({}); setFailure(null);
      const link = document.createElement("a"); // the codes, once: straight to a file
      link.href = URL.createObjectURL(new Blob([answer.csv], { type: "text/csv" }));
      link.download = `${input.id}.csv`;
      link.click();
      done();
    } catch (error) { setFailure(error); }
  }
  return (
    <section class="card">
      <h3>{t("packs.new")}</h3>
      <p class="muted">{t("packs.newLead")}</p>
      <Problem error={failure} />
      <form onSubmit={make}>
        <Field label={t("packs.id")} path="id" errors={errors}><input id="id" name="id" /></Field>
        <Field label={t("packs.name")} path="name" errors={errors}><input id="name" name="name" /></Field>
        <Field label={t("packs.pointsEach")} path="points" errors={errors}><input id="points" name="points" inputMode="numeric" /></Field>
        <Field label={t("packs.count")} path="count" errors={errors}><input id="count" name="count" inputMode="numeric" /></Field>
        <Field label={t("packs.expiresAt")} path="expiresAt" errors={errors}><input id="expires" name="expires" type="datetime-local" /></Field>
        <Field label={t("packs.region")} path="region" errors={errors}><input id="region" name="region" /></Field>
        <button type="submit">{t("packs.make")}</button>
      </form>
    </section>
  );
}
