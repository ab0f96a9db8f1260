// Small pieces every console page uses.
import { useEffect, useState } from "preact/hooks";
import { t, word } from "../shared/i18n.js";

/** Run a query when the page opens (and every `everyMs`), with its error as a sentence. */
export function useQuery(call, query, variables, everyMs) {
  const [state, setState] = useState({ data: null, error: null });
  const key = JSON.stringify(variables || {});
  const load = () => call(query, variables)
    .then((data) => setState({ data, error: null }))
    .catch((error) => setState((s) => ({ data: s.data, error })));
  useEffect(() => {
    load();
    if (!everyMs) return undefined;
    const timer = setInterval(load, everyMs);
    return () => clearInterval(timer);
  }, [query, key]);
  return { ...state, reload: load };
}

/** A payload's errors by the field each names, as Field shows them. */
export function byField(errors) {
  return Object.fromEntries(errors.map((x) => [x.field || "_", x.message]));
}

export function Problem({ error }) {
  if (!error) return null;
  const text = error.name === "NetworkError"
    ? t("common.noConnection")
    : `${error.message}${error.code && error.code !== "ERROR" ? ` (${error.code})` : ""}`;
  return <p class="error" role="alert">{text}</p>;
}

/** A status in words; the code the API answered stays in the tooltip. */
export function Badge({ value, group }) {
  return <span class={`badge ${value}`} title={value}>{group ? word(group, value) : value}</span>;
}

/** A field with its label and, under it, what the API said about it (by field path). */
export function Field({ label, path, errors, children }) {
  return (
    <div>
      <label for={path}>{label}</label>
      {children}
      {errors && errors[path] && <div class="field-error" data-field={path}>{errors[path]}</div>}
    </div>
  );
}
