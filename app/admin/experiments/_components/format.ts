/** Names and links of the Experiments pages' sets (numbers and dates are written by lib/format.ts). */

export const SETTING_LABEL: Record<string, string> = { default: "default", "fixed-seed": "fixed-seed" };

/** The short, human name of a set: "lenet1-quick · default · a93d837c". */
export function setLabel(set: { preset: string; setting: string; id: string }): string {
  return `${set.preset} · ${set.setting} · ${set.id.split("/").at(-1)?.slice(0, 8) ?? ""}`;
}

/** The URL of a set's page; set ids contain slashes, which the catch-all route keeps. */
export function setHref(setId: string): string {
  return `/admin/experiments/sets/${setId.split("/").map(encodeURIComponent).join("/")}`;
}
