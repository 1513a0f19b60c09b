/**
 * Limits the server enforces on what people and files send. Every limit a form shows (an input's maxLength) is
 * also here and checked on the server, for every door (page form action, JSON route, imports), because a
 * browser's maxLength is advice to honest browsers only.
 *
 * Lengths that end up in a B-tree index are limited in UTF-8 BYTES: PostgreSQL refuses an index entry over about
 * 2,700 bytes, and a 1,000-character CJK title is 3,000 bytes although it passes a character limit.
 */
export const LIMITS = {
  /** The "Other, please specify" text box (its input has maxLength 500). */
  otherTextChars: 500,
  /** Body of one request to the anonymous JSON answers endpoint: a page of answers is a few KB. */
  answersBodyBytes: 256 * 1024,
  /** Imported response ids (indexed with the questionnaire). */
  responseIdBytes: 500,
  /** Paper titles are indexed for duplicate detection; abstracts are shown and exported, never indexed. */
  paperTitleBytes: 2_000,
  paperAbstractChars: 50_000,
  /** Free text in a runner result line (set names, notes, error messages). */
  runnerTextChars: 10_000,
  /**
   * A questionnaire definition typed or pasted into the editor. Counted in bytes: the editor posts it through a
   * server action whose body limit is 3 MB (next.config.js), and over that Next answers with an error page and
   * the typed text is lost — so the editor checks before posting, and the server checks the same figure.
   */
  definitionBytes: 2_000_000,
  /** A runner result's set id is the experiment set's primary key. */
  runnerSetIdBytes: 300,
} as const;

/** Size of a string in UTF-8, as PostgreSQL stores and indexes it. */
export function utf8Bytes(text: string): number {
  // Counted by hand rather than with Buffer: lib/survey (which uses these limits) also runs in the browser.
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A character PostgreSQL cannot store in text or JSON: U+0000, or half of a UTF-16 surrogate pair. */
export type UnstorableCharacter = { kind: "nul" | "surrogate"; index: number };

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first character of `text` that cannot be stored, or null. */
export function findUnstorable(text: string): UnstorableCharacter | null {
  const match = UNSTORABLE.exec(text);
  if (!match) return null;
  return { kind: match[0] === "\u0000" ? "nul" : "surrogate", index: match.index };
}

/** Plain words for a refused character; `where` names the field, line or row. */
export function unstorableMessage(found: UnstorableCharacter, where?: string): string {
  const what = found.kind === "nul" ? "a NUL character (U+0000)" : "a broken character (half of an emoji or other symbol, a lone UTF-16 surrogate)";
  return `${where ? `${where} contains` : "This text contains"} ${what} at position ${found.index + 1}; remove it and try again.`;
}

/**
 * Walks a decoded JSON or YAML value and returns the path of the first string (or key) that cannot be stored,
 * e.g. `fields."q.comments"` — so a refusal can say where.
 */
export function findUnstorableIn(value: unknown, path = ""): { path: string; found: UnstorableCharacter } | null {
  if (typeof value === "string") {
    const found = findUnstorable(value);
    return found ? { path, found } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findUnstorableIn(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
      const keyPath = path ? `${path}.${name}` : name;
      const inKey = findUnstorable(key);
      if (inKey) return { path: keyPath, found: inKey };
      const hit = findUnstorableIn(item, keyPath);
      if (hit) return hit;
    }
  }
  return null;
}

/** The path of the first string in a decoded value longer than `maxChars`, or null. */
export function findOverlongIn(value: unknown, maxChars: number, path = ""): { path: string; length: number } | null {
  if (typeof value === "string") return value.length > maxChars ? { path, length: value.length } : null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : value && typeof value === "object"
      ? Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item])
      : [];
  for (const [itemPath, item] of entries) {
    const hit = findOverlongIn(item, maxChars, itemPath);
    if (hit) return hit;
  }
  return null;
}

/** The editor's and the save action's shared check of a definition's size, or null when it fits. */
export function definitionSizeProblem(text: string): string | null {
  const bytes = utf8Bytes(text);
  if (bytes <= LIMITS.definitionBytes) return null;
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return `The definition is ${mb(bytes)}; at most ${mb(LIMITS.definitionBytes)} can be saved. Your text is still in the editor: shorten it (a questionnaire is usually a few kilobytes) and save again.`;
}
