import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";

/** True when the bytes start with the gzip magic number 1f 8b. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Hex SHA-256 of a byte array. */
export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * Reads a file and gunzips it when it is gzip-compressed (detected by content, not by name).
 * @returns the decompressed bytes and the raw bytes (checksums are computed on what is on disk).
 * @throws the fs error (ENOENT etc.) or zlib's error for a corrupt gzip stream.
 */
export async function readMaybeGzip(path: string): Promise<{ raw: Uint8Array; bytes: Uint8Array }> {
  const raw = new Uint8Array(await readFile(path));
  return { raw, bytes: isGzip(raw) ? new Uint8Array(gunzipSync(raw)) : raw };
}
