import { language, LANGUAGES, setLanguage, t } from "./i18n.js";

/** The language picker: the browser's language first, the user's pick kept. */
export function Languages({ onChange }) {
  return (
    <select class="languages" aria-label={t("common.language")} value={language()}
      onChange={(e) => { setLanguage(e.currentTarget.value); onChange(); }}>
      {Object.entries(LANGUAGES).map(([code, name]) => <option key={code} value={code} lang={code}>{name}</option>)}
    </select>
  );
}
