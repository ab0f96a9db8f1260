// Day by day, drawn by uPlot: axes, a legend that shows the values under the pointer, up to
// two series as bars (side by side) and the rest as lines, over a range the marketer picks.
// Rows come one per day, quiet days at zero, so a quiet week looks quiet.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { locale, t } from "../shared/i18n.js";

export const RANGES = [7, 14, 30, 90];
const DAY_SECONDS = 86400;
const PALETTE = ["#9bb0e8", "#2f4ea8", "#d28a00", "#1b8a5a", "#b3261e", "#7a4fb5", "#0f7c8c"];

/** The `range` days up to `lastDay` (YYYY-MM-DD), each with `rows`' values (zero when the
 * day has none). */
export function everyDay(rows, range, lastDay) {
  const last = Date.parse(`${lastDay}T00:00:00Z`) / 1000;
  const byDay = Object.fromEntries(rows.map((r) => [r.day, r]));
  return Array.from({ length: range }, (_, i) => {
    const day = new Date((last - (range - 1 - i) * DAY_SECONDS) * 1000).toISOString().slice(0, 10);
    return byDay[day] || { day };
  });
}

/** `series`: [{ key, label, bar }]: the value of each row under `key`. */
export function DayChart({ rows, series, range, onRange, testid = "day-chart" }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const xs = rows.map((r) => Date.parse(`${r.day}T00:00:00Z`) / 1000);
    const data = [xs, ...series.map((s) => rows.map((r) => r[s.key] || 0))];
    const dayLabel = new Intl.DateTimeFormat(locale(), { month: "short", day: "numeric", timeZone: "UTC" });
    const compact = new Intl.NumberFormat(locale(), { notation: "compact", maximumFractionDigits: 1 });
    const bars = series.filter((s) => s.bar).length;
    let barIndex = 0;
    const options = {
      width: Math.max(240, element.clientWidth),
      height: 220,
      // Half a day either side, so the first and last days' bars are whole.
      scales: { x: { time: true, range: (_, min, max) => [min - DAY_SECONDS / 2, max + DAY_SECONDS / 2] },
        y: { range: (_, min, max) => [0, Math.max(4, max)] } },
      series: [
        { label: t("campaigns.day"), value: (_, x) => (x == null ? "" : dayLabel.format(new Date(x * 1000))) },
        ...series.map((s, i) => {
          const color = PALETTE[i % PALETTE.length];
          if (!s.bar) return { label: s.label, stroke: color, width: 2 };
          // Two bars sit either side of the day's tick; one sits on it.
          const align = bars === 1 ? 0 : (barIndex++ === 0 ? -1 : 1);
          return { label: s.label, stroke: color, fill: color, points: { show: false },
            paths: uPlot.paths.bars({ size: [bars === 1 ? 0.6 : 0.4, 40], align }) };
        }),
      ],
      // Days spaced so their labels never overlap (Vietnamese months are long); amounts in
      // the compact form of the reader's language (30K, 30 N), so the axis stays narrow.
      axes: [
        { space: 72, values: (_, ticks) => ticks.map((x) => dayLabel.format(new Date(x * 1000))) },
        { size: 52, values: (_, ticks) => ticks.map((v) => (Number.isInteger(v) ? compact.format(v) : "")) },
      ],
    };
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => { resize.disconnect(); chart.destroy(); };
  }, [JSON.stringify(rows), JSON.stringify(series), locale()]);
  return (
    <div class="day-chart">
      {onRange && <div class="range" role="group" aria-label={t("campaigns.range")}>
        {RANGES.map((n) => (
          <button key={n} type="button" class={n === range ? "active" : ""} aria-pressed={n === range}
            onClick={() => onRange(n)}>{t("campaigns.lastDays", { count: n })}</button>
        ))}
      </div>}
      <div ref={box} data-testid={testid} role="img" />
    </div>
  );
}
