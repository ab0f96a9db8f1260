// The top bar every screen of the field app shows: what the screen is, who is signed in,
// the language, and signing out.
import { t } from "../shared/i18n.js";
import { Languages } from "../shared/Languages.jsx";

export function Bar({ title, who, signOut, relabel }) {
  return (
    <header class="bar">
      <h1>{title}</h1>
      <span class="who">{who}</span>
      <Languages onChange={relabel} />
      <button onClick={() => signOut(null)}>{t("common.signOut")}</button>
    </header>
  );
}
