// What members read, in each language: the names and descriptions of campaigns, prizes,
// quests, events and surveys, and the language members read when theirs is missing.
// The API keeps the text as defined beside its translations (docs/guide/translations.md).
import { useState } from "preact/hooks";
import { payload } from "../shared/api.js";
import { LANGUAGES, t, word } from "../shared/i18n.js";
import { Problem, useQuery } from "./ui.jsx";

const SUBJECTS = `{ campaigns(first: 100) { nodes { id name prizes { id name } } }
  quests(first: 100) { nodes { id name description } }
  events(first: 100) { nodes { id name description } }
  surveys(first: 100) { id name }
  translations { subject subjectId language name description } defaultLanguage }`;
const TRANSLATE = `mutation($input: TranslateInput!) { translate(input: $input) {
  translation { name } errors { code field message } } }`;
const DEFAULT = `mutation($l: String) { setDefaultLanguage(language: $l) {
  defaultLanguage errors { code field message } } }`;

/** Every translatable thing of the program, with the text it was defined with. */
function subjects(data) {
  return [
    ...data.campaigns.nodes.flatMap((c) => [
      { subject: "CAMPAIGN", id: c.id, name: c.name },
      ...c.prizes.map((p) => ({ subject: "PRIZE", id: `${c.id}/${p.id}`, name: p.name })),
    ]),
    ...data.quests.nodes.map((q) => ({ subject: "QUEST", id: q.id, name: q.name, description: q.description })),
    ...data.events.nodes.map((e) => ({ subject: "EVENT", id: e.id, name: e.name, description: e.description })),
    ...data.surveys.map((s) => ({ subject: "SURVEY", id: s.id, name: s.name })),
  ];
}

export function Translations({ call }) {
  const { data, error, reload } = useQuery(call, SUBJECTS);
  const [shown, setShown] = useState("vi");
  if (!data) return <section class="card"><Problem error={error} /><p class="muted">{t("common.loading")}</p></section>;
  const saved = Object.fromEntries(data.translations
    .filter((x) => x.language === shown).map((x) => [`${x.subject}:${x.subjectId}`, x]));
  return (
    <>
      <section class="card">
        <h2>{t("translations.title")}</h2>
        <p class="muted">{t("translations.lead")}</p>
        <Problem error={error} />
        <div class="row">
          <label>{t("translations.language")}{" "}
            <select data-testid="translation-language" value={shown} onChange={(e) => setShown(e.target.value)}>
              {Object.entries(LANGUAGES).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
            </select>
          </label>
          <DefaultLanguage call={call} current={data.defaultLanguage} reload={reload} />
        </div>
      </section>
      <section class="card">
        <div class="table-wrap"><table>
          <thead><tr><th>{t("translations.defined")}</th><th>{t("translations.translated", { language: LANGUAGES[shown] })}</th></tr></thead>
          <tbody>{subjects(data).map((s) => (
            <Row key={`${s.subject}:${s.id}:${shown}`} call={call} item={s} language={shown}
              saved={saved[`${s.subject}:${s.id}`]} reload={reload} />
          ))}</tbody>
        </table></div>
      </section>
    </>
  );
}

function DefaultLanguage({ call, current, reload }) {
  const [problem, setProblem] = useState(null);
  async function choose(language) {
    try {
      payload((await call(DEFAULT, { l: language || null })).setDefaultLanguage);
      setProblem(null);
      reload();
    } catch (e) { setProblem(e); }
  }
  return (
    <label>{t("translations.default")}{" "}
      <select data-testid="default-language" value={current || ""} onChange={(e) => choose(e.target.value)}>
        <option value="">{t("translations.asDefined")}</option>
        {Object.entries(LANGUAGES).map(([code, name]) => <option key={code} value={code}>{name}</option>)}
      </select>
      <Problem error={problem} />
    </label>
  );
}

function Row({ call, item, language, saved, reload }) {
  const [name, setName] = useState(saved ? saved.name : "");
  const [description, setDescription] = useState(saved ? saved.description || "" : "");
  const [state, setState] = useState({ busy: false, problem: null, done: false });
  async function save(event) {
    event.preventDefault();
    setState({ busy: true, problem: null, done: false });
    try {
      payload((await call(TRANSLATE, { input: {
        subject: item.subject, subjectId: item.id, language,
        name: name.trim() ? name : null, description: description.trim() ? description : null,
      } })).translate);
      setState({ busy: false, problem: null, done: true });
      reload();
    } catch (e) { setState({ busy: false, problem: e, done: false }); }
  }
  return (
    <tr data-subject={`${item.subject}:${item.id}`}>
      <td><strong>{item.name}</strong>{item.description ? <div>{item.description}</div> : null}
        <div class="muted">{word("translationSubject", item.subject)} · {item.id}</div></td>
      <td>
        <form class="translation" onSubmit={save}>
          <input aria-label={t("translations.name")} placeholder={t("translations.name")} value={name}
            lang={language} onInput={(e) => setName(e.target.value)} />
          <textarea aria-label={t("translations.description")} placeholder={t("translations.description")}
            value={description} lang={language} rows={2} onInput={(e) => setDescription(e.target.value)} />
          <button type="submit" disabled={state.busy}>{t("translations.save")}</button>
          {state.done && <span class="muted" role="status">{t("translations.saved")}</span>}
          <Problem error={state.problem} />
        </form>
      </td>
    </tr>
  );
}
