// Partner code files: one code per line, or a column of a CSV. A first line that is not a
// code (a header such as "note,code") is detected and skipped; the column is picked by name.

export function codesFrom(text, column) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const rows = lines.map((l, i) => ({ line: i + 1, cells: l.split(",").map((c) => c.trim().replace(/^"|"$/g, "")) }))
    .filter((r) => r.cells.some((c) => c));
  if (!rows.length) return { codes: [], header: null };
  const first = rows[0].cells.map((c) => c.toLowerCase());
  const named = first.indexOf((column || "code").toLowerCase());
  const looksLikeHeader = named >= 0 || first.every((c) => /^[a-z _-]+$/.test(c) && !/\d/.test(c));
  const index = named >= 0 ? named : 0;
  const body = looksLikeHeader ? rows.slice(1) : rows;
  return {
    header: looksLikeHeader ? rows[0].cells : null,
    codes: body.map((r) => ({ line: r.line, code: r.cells[index] || "" })),
  };
}
