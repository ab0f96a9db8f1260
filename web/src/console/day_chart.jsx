// A campaign day by day: uPlot draws it (axes, a legend that shows the values under the
// pointer, bars for spins and wins, a line for players) over a range the marketer picks.
// Days without a spin are drawn as zeros, not skipped, so a quiet week looks quiet.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { locale, t } from "../shared/i18n.js";

export const RANGES = [7, 14, 30, 90];
const DAY_SECONDS = 86400;

/** YYYY-MM-DD of a moment in a time zone. */
function dayIn(timezone, moment) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
}

/** The `range` days up to the campaign's last day (today, or the day it ended), each with
 * its counts (zero when nothing happened). x is the day's midnight in UTC, in seconds. */
export function daysShown(days, range, timezone, endsAt) {
  const end = Math.min(Date.now(), Date.parse(endsAt));
  const last = Date.parse(`${dayIn(timezone, new Date(end))}T00:00:00Z`) / 1000;
  const byDay = Object.fromEntries(days.map((d) => [d.day, d]));
  const xs = [];
  const spins = [];
  const wins = [];
  const players = [];
  for (let i = range - 1; i >= 0; i -= 1) {
    const x = last - i * DAY_SECONDS;
    const d = byDay[new Date(x * 1000).toISOString().slice(0, 10)] || {};
    xs.push(x);
    spins.push(d.spins || 0);
    wins.push(d.wins || 0);
    players.push(d.players || 0);
  }
  return [xs, spins, wins, players];
}

export function DayChart({ days, range, onRange, timezone, endsAt }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const data = daysShown(days, range, timezone, endsAt);
    const dayLabel = new Intl.DateTimeFormat(locale(), { month: "short", day: "numeric", timeZone: "UTC" });
    // Spins left of the day's tick, wins right of it.
    const bars = (align) => uPlot.paths.bars({ size: [0.4, 40], align });
    const options = {
      width: Math.max(240, element.clientWidth),
      height: 220,
      // Half a day either side, so the first and last days' bars are whole.
      scales: { x: { time: true, range: (_, min, max) => [min - DAY_SECONDS / 2, max + DAY_SECONDS / 2] },
        y: { range: (_, min, max) => [0, Math.max(4, max)] } },
      series: [
        { label: t("campaigns.day"), value: (_, x) => (x == null ? "" : dayLabel.format(new Date(x * 1000))) },
        { label: t("campaigns.spins"), stroke: "#6b86d6", fill: "#9bb0e8", paths: bars(-1), points: { show: false } },
        { label: t("campaigns.wins"), stroke: "#2f4ea8", fill: "#2f4ea8", paths: bars(1), points: { show: false } },
        { label: t("campaigns.players"), stroke: "#d28a00", width: 2 },
      ],
      axes: [
        { values: (_, ticks) => ticks.map((x) => dayLabel.format(new Date(x * 1000))) },
        { size: 40, values: (_, ticks) => ticks.map((v) => (Number.isInteger(v) ? v : "")) },
      ],
    };
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => { resize.disconnect(); chart.destroy(); };
  }, [JSON.stringify(days), range, timezone, endsAt, locale()]);
  return (
    <div class="day-chart">
      <div class="range" role="group" aria-label={t("campaigns.range")}>
        {RANGES.map((n) => (
          <button key={n} type="button" class={n === range ? "active" : ""} aria-pressed={n === range}
            onClick={() => onRange(n)}>{t("campaigns.lastDays", { count: n })}</button>
        ))}
      </div>
      <div ref={box} data-testid="day-chart" role="img" aria-label={t("campaigns.perDay")} />
    </div>
  );
}
