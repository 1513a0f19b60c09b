/**
 * How every number, share, interval, count, duration and date is written for a reader — pages, the methods
 * text, exports' prose and the command line — so the same value reads the same everywhere ("24.5%" on the
 * overview is "24.5%" in the report). Pure; no locale of the machine leaks in: counts use en-US digit grouping,
 * dates are en-GB in UTC (the server and the reader may sit in different zones; UTC is what the audit log keeps).
 *
 * Rounding is `toFixed`'s everywhere (the exact binary value, ties away from zero), so a page and a CLI report
 * that show one number with the same digits show the same string.
 */

/** What a missing or undefined number is shown as (an en dash, never "NaN" or "null"). */
export const MISSING = "–";

const present = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/** Inserts en-US thousands separators into a `toFixed` string ("-12345.6" → "-12,345.6"). */
const groupThousands = (text: string): string => {
  const [whole, fraction] = text.split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
};

/** A number with a fixed number of decimals and no grouping, e.g. 0.5312 → "0.53" (statistics, CLI tables). */
export const formatNumber = (value: number | null | undefined, digits = 2): string => (present(value) ? value.toFixed(digits) : MISSING);

/** A measured quantity in a table, thousands grouped: 1234.56 → "1,234.6" (times, accuracies, Diffs). */
export const formatDecimal = (value: number | null | undefined, digits = 1): string => (present(value) ? groupThousands(value.toFixed(digits)) : MISSING);

/**
 * A count, thousands grouped ("12,345"); with a noun, the noun in singular or plural ("1 paper", "3 papers").
 * @param noun a noun whose plural adds "s".
 */
export function formatCount(count: number, noun?: string): string {
  const digits = count.toLocaleString("en-US");
  return noun === undefined ? digits : `${digits} ${noun}${count === 1 ? "" : "s"}`;
}

/** A proportion as a percentage, e.g. 0.83796 → "83.8%". */
export const formatPercent = (value: number | null | undefined, digits = 1): string => (present(value) ? `${(value * 100).toFixed(digits)}%` : MISSING);

/** An interval of proportions, "[81.3%, 86.0%]". */
export const formatInterval = (lower: number, upper: number, digits = 1): string => `[${formatPercent(lower, digits)}, ${formatPercent(upper, digits)}]`;

/** A signed difference of proportions in percentage points, e.g. 0.042 → "+4.2 pp". */
export const formatPoints = (value: number, digits = 1): string => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(digits)} pp`;

/** A confidence level, e.g. 0.95 → "95%", 0.995 → "99.5%". */
export const formatLevel = (level: number): string => `${Number((level * 100).toFixed(1))}%`;

/** A p-value as journals print it: three decimals, "< 0.001" below that. */
export const formatP = (p: number): string => (p < 0.001 ? "< 0.001" : p.toFixed(3));

/** A duration in whole seconds, "1h02m", "3m05s", "42s"; "–" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (!present(seconds)) return MISSING;
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const DATE_TIME_SECONDS = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** A calendar day in UTC, "7 Dec 2026". */
export const formatDate = (date: Date | string): string => DATE.format(new Date(date));

/**
 * A moment in UTC, "7 Dec 2026, 21:34".
 * @param options.seconds add the seconds ("21:34:05"), for logs where order within a minute matters.
 * @param options.zone append " UTC", where no column header already says so.
 */
export function formatDateTime(date: Date | string, options: { seconds?: boolean; zone?: boolean } = {}): string {
  const text = (options.seconds ? DATE_TIME_SECONDS : DATE_TIME).format(new Date(date));
  return options.zone ? `${text} UTC` : text;
}
