/** Number formatting for the Experiments pages (values are computed in lib; these only render them). */

/** A number with fixed decimals, or "–" when it does not exist (e.g. RelDiff when the minimum time is 0). */
export function fixed(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio shown as a percentage: 0.245 → "24.5%". */
export function ratioPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "–" : `${fixed(value * 100, digits)}%`;
}

/** p-values: three decimals, "< 0.001" below that. */
export function pValue(p: number): string {
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

export const SETTING_LABEL: Record<string, string> = { default: "default", "fixed-seed": "fixed-seed" };

/** The short, human name of a set: "lenet1-quick · default · a93d837c". */
export function setLabel(set: { preset: string; setting: string; id: string }): string {
  return `${set.preset} · ${set.setting} · ${set.id.split("/").at(-1)?.slice(0, 8) ?? ""}`;
}

/** The URL of a set's page; set ids contain slashes, which the catch-all route keeps. */
export function setHref(setId: string): string {
  return `/admin/experiments/sets/${setId.split("/").map(encodeURIComponent).join("/")}`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export const formatDate = (date: Date | string) => `${dateTime.format(new Date(date))} UTC`;

/** "1h02m", "3m05s", "42s". */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "–";
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}
