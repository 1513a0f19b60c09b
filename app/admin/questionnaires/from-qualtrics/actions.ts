"use server";
import { stringify } from "yaml";
import { readUploadText } from "@/lib/io/text-encoding";
import { assertCan } from "@/lib/auth/permissions";
import { requireUserForAction } from "@/lib/auth/session";
import type { CarryOverNote } from "@/lib/io/qualtrics-common";
import { questionnaireFromExportHeaders } from "@/lib/io/qualtrics-headers";
import { questionnaireFromQsf } from "@/lib/io/qualtrics-qsf";

export type ConversionResult =
  | { ok: true; source: "qsf" | "export"; sourceText: string; notes: CarryOverNote[]; questionCount: number }
  | { ok: false; error: string };

/** A .qsf is far smaller than this; an export with thousands of rows is still well under it. */
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * Turns an uploaded .qsf (JSON) or Qualtrics CSV export into a questionnaire definition (YAML) for review in the
 * editor, with the list of what could not be carried over. Writes nothing: creating happens from the editor.
 */
export async function convertQualtricsAction(_previous: ConversionResult | null, form: FormData): Promise<ConversionResult> {
  try {
    const actor = await requireUserForAction();
    assertCan(actor, "surveys.manage");
  } catch {
    return { ok: false, error: "Sign in as an administrator to create questionnaires." };
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { ok: false, error: "Choose a .qsf survey file or a CSV export first." };
  if (file.size > MAX_BYTES) return { ok: false, error: "The file is larger than 50 MB." };
  // Excel's "Unicode text" and some Qualtrics downloads are UTF-16: decode them as the response import does.
  const decoded = readUploadText(new Uint8Array(await file.arrayBuffer()));
  if (!decoded.ok) return { ok: false, error: decoded.error };
  const text = decoded.text;
  const isJson = text.replace(/^\uFEFF/, "").trimStart().startsWith("{");
  const title = (typeof form.get("title") === "string" && String(form.get("title")).trim()) || file.name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ").trim() || "Imported survey";
  const converted = isJson ? questionnaireFromQsf(text) : questionnaireFromExportHeaders(text, title);
  if (!converted.ok) return converted;
  const questionCount = converted.definition.sections.reduce((sum, section) => sum + section.questions.length, 0);
  const header = `# Created from ${isJson ? "the Qualtrics survey file" : "the Qualtrics export"} ${file.name.replace(/[\r\n]/g, " ")}.\n# Review it, edit what you like (welcome and consent texts especially), then create.\n`;
  return { ok: true, source: isJson ? "qsf" : "export", sourceText: header + stringify(converted.definition, { lineWidth: 0 }), notes: converted.notes, questionCount };
}
