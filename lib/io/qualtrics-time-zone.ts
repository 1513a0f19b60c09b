/**
 * Qualtrics writes StartDate/EndDate/RecordedDate as local wall-clock times ("2026-03-08 01:30:00") and
 * names their zone in the third header row: {"ImportId":"startDate","timeZone":"America/Denver"}. Read
 * as UTC they shift by hours, so the zone is read and the times converted to UTC instants here.
 * Uses the IANA zone data built into Node (Intl); no library.
 */

/** The time zone named in a Qualtrics import-id cell, or undefined (also for names Intl does not know). */
export function timeZoneOfImportIdCell(cell: string | undefined): string | undefined {
  if (!cell || !cell.trim().startsWith("{")) return undefined;
  try {
    const json = JSON.parse(cell) as { timeZone?: unknown; timezone?: unknown };
    const zone = json.timeZone ?? json.timezone;
    if (typeof zone !== "string" || zone === "") return undefined;
    return isKnownTimeZone(zone) ? zone : undefined;
  } catch {
    return undefined;
  }
}

export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

// Building a formatter is far slower than using one, and an export has two dates per row.
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (zone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** Offset of `zone` from UTC at the instant `utcMillis`, in minutes (Denver in winter: -420). */
const offsetMinutes = (utcMillis: number, zone: string): number => {
  const parts = formatterOf(zone).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(utcMillis / 1000) * 1000) / 60000);
};

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A wall-clock time in `zone` as an ISO UTC instant. Times that carry their own offset or "Z" are kept.
 * In the hour skipped at a spring change the time is read with the offset before the change; in the hour
 * repeated in autumn, the first occurrence is taken (Qualtrics does not say which).
 * @returns the ISO string, or undefined when the text is not a date-time.
 */
export function localTimeToUtc(textValue: string, zone: string | undefined): string | undefined {
  const trimmed = textValue.trim();
  const match = LOCAL_TIME.exec(trimmed);
  if (!match) {
    if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(trimmed)) {
      const date = new Date(trimmed);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    }
    return undefined;
  }
  const [, y, mo, d, h, mi, s] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? "0"));
  if (Number.isNaN(wall)) return undefined;
  if (!zone || zone === "UTC") return new Date(wall).toISOString();
  // Two passes settle the offset everywhere except inside a change-over hour (see above).
  const first = offsetMinutes(wall, zone);
  const earlier = offsetMinutes(wall - first * 60000 - 3600000, zone);
  const candidate = wall - first * 60000;
  const alternative = wall - earlier * 60000;
  const fits = (instant: number) => offsetMinutes(instant, zone) === Math.round((wall - instant) / 60000);
  if (fits(alternative) && alternative <= candidate) return new Date(alternative).toISOString();
  if (fits(candidate)) return new Date(candidate).toISOString();
  return new Date(alternative).toISOString();
}
