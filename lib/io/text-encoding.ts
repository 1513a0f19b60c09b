/**
 * Decoding of uploaded text files before any parser sees them. Excel's "Unicode text" and some Windows tools
 * write UTF-16 with a byte-order mark; read as UTF-8 such a file has a NUL between every letter, so the preview
 * showed garbled headers and the import then called it "binary or damaged". UTF-16 with a BOM is decoded;
 * UTF-16 without one (NULs in every other byte) is named as such with how to save it as UTF-8.
 */
export type UploadDecoding = { ok: true; text: string; encoding: "utf-8" | "utf-16le" | "utf-16be" } | { ok: false; error: string };

export const UTF16_ADVICE =
  'The file looks like UTF-16 text without a byte-order mark, which VarStudy cannot read reliably. Save it as UTF-8 instead: in Excel choose "CSV UTF-8 (Comma delimited)", in a text editor choose the UTF-8 encoding, and import it again.';

/** The encoding a byte-order mark announces, or null. */
export function bomEncoding(bytes: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/**
 * UTF-16 of mostly ASCII text has a zero in every other byte; real UTF-8 text never does. Looks at the start
 * only (a few KB decide it).
 */
export function looksLikeBomlessUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  if (sample.length < 4) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenZeros++;
    else oddZeros++;
  }
  const half = sample.length / 2;
  return evenZeros > half * 0.4 || oddZeros > half * 0.4;
}

/**
 * Decodes UTF-16 (with a BOM) to text; returns null for anything else, which the caller decodes as before
 * (UTF-8, or its own fallbacks). UTF-16 without a BOM gives the plain advice instead.
 */
export function decodeUtf16Upload(bytes: Uint8Array): UploadDecoding | null {
  const bom = bomEncoding(bytes);
  if (bom === "utf-16le" || bom === "utf-16be") {
    try {
      return { ok: true, text: new TextDecoder(bom, { fatal: true }).decode(bytes.subarray(2)), encoding: bom };
    } catch {
      return { ok: false, error: `The file starts like ${bom === "utf-16le" ? "UTF-16 (little-endian)" : "UTF-16 (big-endian)"} text but contains bytes that are not valid in it; it may be damaged. Save it again as UTF-8 and import it again.` };
    }
  }
  if (bom === null && looksLikeBomlessUtf16(bytes)) return { ok: false, error: UTF16_ADVICE };
  return null;
}

/**
 * An upload as the import routes read it: UTF-16 decoded or named (see above), anything else as UTF-8 the way
 * `File.text()` reads it (the importers report what they cannot parse with its row).
 */
export function readUploadText(bytes: Uint8Array): UploadDecoding {
  return decodeUtf16Upload(bytes) ?? { ok: true, text: new TextDecoder().decode(bytes), encoding: "utf-8" };
}
