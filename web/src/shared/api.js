// The pages' only way to Kado: the same GraphQL endpoints every client uses.

export class ApiError extends Error {
  constructor(code, message, field) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** A connection that failed before any answer: the request may or may not have landed. */
export class NetworkError extends Error {
  name = "NetworkError";
}

export function client(apiBase, path, token) {
  return async function call(query, variables = {}) {
    let response;
    try {
      response = await fetch(`${apiBase}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (failure) {
      throw new NetworkError(String(failure));
    }
    if (response.status === 401 || response.status === 403) {
      throw new ApiError("UNAUTHORIZED", "This sign-in is not accepted here: sign in again.");
    }
    let body;
    try {
      body = await response.json();
    } catch (_) {
      throw new NetworkError(`the server answered ${response.status}`);
    }
    if (body.errors && body.errors.length) {
      const first = body.errors[0];
      const ext = first.extensions || {};
      throw new ApiError(ext.code || "ERROR", first.message, ext.field);
    }
    return body.data;
  };
}

/** The first typed error of a payload, thrown: a payload's errors are refusals. */
export function payload(data) {
  if (data.errors && data.errors.length) {
    const e = data.errors[0];
    throw new ApiError(e.code, e.message, e.field);
  }
  return data;
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
