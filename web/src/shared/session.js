// Sign-in for the pages. In dev, a token from `kado token` (the dev banner prints a ready
// link with it in the fragment, which never reaches a server log). In AWS, OpenID Connect
// authorization code with PKCE against the issuer the API's JWT authorizer trusts; the
// issuer, client id and API base come from /config.json, deployed beside the pages.

const VERIFIER = "kado.pkce.verifier";
const STATE = "kado.pkce.state";

export async function loadConfig() {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (response.ok) return await response.json();
  } catch (_) {
    // Offline or no config: the dev token form still works.
  }
  return { mode: "dev", apiBase: "" };
}

function tokenKey(role) {
  return `kado.${role}.token`;
}

/** The token for this page's role: from the link's #token= (dev only), the OIDC redirect,
 * or storage. With OIDC a link's token is dropped unread: a link could otherwise sign
 * someone into another program's console with no sign-in step of their own. */
export async function currentToken(role, config) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    if (!config.oidc) sessionStorage.setItem(tokenKey(role), fragment.get("token"));
    history.replaceState(null, "", location.pathname);
  }
  const query = new URLSearchParams(location.search);
  if (config.oidc && query.get("code")) {
    await finishOidc(role, config.oidc, query);
  }
  return sessionStorage.getItem(tokenKey(role));
}

/** Who a token says the page is signed in as (shown, never trusted: the API decides). */
export function signedInAs(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")));
    return { program: String(claims.program || "?"), role: String(claims.role || "member"),
             subject: String(claims.sub || "?") };
  } catch (_) {
    return { program: "?", role: "?", subject: "?" };
  }
}

export function keepToken(role, token) {
  sessionStorage.setItem(tokenKey(role), token.trim());
}

export function signOut(role) {
  sessionStorage.removeItem(tokenKey(role));
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function discovery(oidc) {
  const response = await fetch(`${oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  return response.json();
}

export async function startOidc(oidc) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256",
    new TextEncoder().encode(verifier)));
  sessionStorage.setItem(VERIFIER, verifier);
  sessionStorage.setItem(STATE, state);
  const meta = await discovery(oidc);
  const params = new URLSearchParams({
    response_type: "code", client_id: oidc.clientId, redirect_uri: location.origin + location.pathname,
    scope: oidc.scope || "openid", state, code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(`${meta.authorization_endpoint}?${params}`);
}

async function finishOidc(role, oidc, query) {
  const expected = sessionStorage.getItem(STATE);
  history.replaceState(null, "", location.pathname);
  if (!expected || query.get("state") !== expected) return; // not our redirect
  const meta = await discovery(oidc);
  const response = await fetch(meta.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: query.get("code"), client_id: oidc.clientId,
      redirect_uri: location.origin + location.pathname,
      code_verifier: sessionStorage.getItem(VERIFIER) || "",
    }),
  });
  sessionStorage.removeItem(VERIFIER);
  sessionStorage.removeItem(STATE);
  if (response.ok) {
    const tokens = await response.json();
    // The JWT authorizer reads the program and role claims from the token it is given.
    keepToken(role, tokens[oidc.tokenField || "id_token"] || tokens.access_token);
  }
}
