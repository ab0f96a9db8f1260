// Wall-clock times in a named time zone, for the fields where marketing types a campaign's
// start and end "in Ho Chi Minh City" whatever zone the laptop is in. Intl knows every
// zone's offsets (daylight saving included); no library needed.

const FIELDS = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

/** "YYYY-MM-DDTHH:mm" (a datetime-local field's value) of an instant in `timezone`. */
export function wallClock(iso, timezone) {
  if (!iso) return "";
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { ...FIELDS, timeZone: timezone })
    .formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function asUtc(wall) {
  const [date, time] = wall.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return Date.UTC(y, m - 1, d, hh, mm);
}

/** YYYY-MM-DD of a moment (a Date) in `timezone`. */
export function dayIn(timezone, moment) {
  return wallClock(moment.toISOString(), timezone).slice(0, 10);
}

/** The instant (ISO, UTC) a wall-clock time in `timezone` names. A time skipped by a
 * daylight-saving jump is read with the offset from before it, as the zone's clocks do. */
export function instantIn(wall, timezone) {
  if (!wall) return "";
  const guess = asUtc(wall);
  const offsetAt = (t) => asUtc(wallClock(new Date(t).toISOString(), timezone)) - t;
  let instant = guess - offsetAt(guess);
  const corrected = guess - offsetAt(instant);
  if (corrected !== instant && wallClock(new Date(corrected).toISOString(), timezone) === wall) instant = corrected;
  return new Date(instant).toISOString();
}

/** Every zone this browser knows (IANA names), for a picker; UTC first. */
export function zones() {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return ["UTC", ...known.filter((z) => z !== "UTC")];
}

/** Whether `timezone` is a zone this browser can compute in. */
export function isZone(timezone) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch (_) {
    return false;
  }
}
