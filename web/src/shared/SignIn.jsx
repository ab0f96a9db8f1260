import { useState } from "preact/hooks";
import { t } from "./i18n.js";
import { keepToken, startOidc } from "./session.js";

/** Sign-in: the OIDC button in AWS; in dev, a token from `kado token` pasted here. */
export function SignIn({ role, config, onToken, problem }) {
  const [token, setToken] = useState("");
  const command = role === "merchant"
    ? "kado token --program demo --merchant <merchant-id>"
    : "kado token --program demo --admin";
  return (
    <main class="card narrow">
      <h1>{t("common.signIn")}</h1>
      {problem && <p class="error" role="alert">{problem}</p>}
      {config.oidc && (
        <button class="primary wide" onClick={() => startOidc(config.oidc)}>
          {t("common.signInOidc")}
        </button>
      )}
      {!config.oidc && (
        <form onSubmit={(e) => { e.preventDefault(); keepToken(role, token); onToken(token.trim()); }}>
          <label for="token">{t("common.token")}</label>
          <textarea id="token" rows="4" value={token} required
            onInput={(e) => setToken(e.currentTarget.value)} />
          <p class="hint">{t("common.tokenHint", { command })}</p>
          <button class="primary wide" type="submit">{t("common.signIn")}</button>
        </form>
      )}
    </main>
  );
}
