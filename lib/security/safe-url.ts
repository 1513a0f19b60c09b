/**
 * Links built from imported data (a paper's URL from a BibTeX, RIS or CSV file) are shown only when they are
 * plain web addresses: a `javascript:` or `data:` URL in an imported file would otherwise become a link that runs
 * script in the app's origin when clicked. React 19 blocks `javascript:` hrefs too; this does not rely on it.
 */
export function webUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}
