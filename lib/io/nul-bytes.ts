/**
 * PostgreSQL cannot store U+0000 in text or JSON, so a NUL that reaches a write fails it half-way through an
 * import's transaction with a database error. Importers refuse such files up front, naming the line; a NUL in a
 * text file means it is binary or damaged anyway. (Found by the importer fuzzer, scripts/fuzz-importers.ts.)
 */
export function lineOfFirstNul(text: string): number | null {
  const at = text.indexOf("\u0000");
  return at < 0 ? null : text.slice(0, at).split(/\r\n|\r|\n/).length;
}

export const nulMessage = (line: number) => `Line ${line} contains a NUL byte: the file looks binary or damaged, so nothing was imported.`;
