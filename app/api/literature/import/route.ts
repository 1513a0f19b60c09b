import { z } from "zod";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { importPapers, MAX_PAPER_FILE_BYTES } from "@/lib/db/papers";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { PAPER_IMPORT_FORMATS } from "@/lib/io/paper-record";

/**
 * Paper-file upload (BibTeX, RIS, CSV). A route handler rather than a server action because exports of whole
 * venues exceed the server-action body limit; the file is parsed within this request (see lib/db/papers.ts).
 * Responds with the import report as JSON; a bad file writes nothing and gets { ok: false, errors }.
 */
export const runtime = "nodejs";
export const maxDuration = 120;

const fieldsSchema = z.object({
  studyId: z.string().min(1).max(64),
  format: z.enum(["auto", ...PAPER_IMPORT_FORMATS]).default("auto"),
  mapping: z.string().max(20_000).optional(),
});

export async function POST(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ ok: false, errors: ["Your session has ended. Sign in again."] }, { status: 401 });
  // Refused before the body is read: the size check on the file below only runs after the whole upload is parsed.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_PAPER_FILE_BYTES + 1024 * 1024) {
    return Response.json({ ok: false, errors: [`The file is larger than ${MAX_PAPER_FILE_BYTES / 1024 / 1024} MB; split it and import the parts.`] }, { status: 413 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ ok: false, errors: ["The upload could not be read. Choose the file again."] }, { status: 400 });
  }
  const fields = fieldsSchema.safeParse({ studyId: form.get("studyId"), format: form.get("format") || undefined, mapping: form.get("mapping") || undefined });
  const file = form.get("file");
  if (!fields.success) return Response.json({ ok: false, errors: ["The upload is missing its study or has an unknown format."] }, { status: 422 });
  if (!(file instanceof File) || file.size === 0) return Response.json({ ok: false, errors: ["Choose a non-empty BibTeX, RIS or CSV file."] }, { status: 422 });
  if (file.size > MAX_PAPER_FILE_BYTES) return Response.json({ ok: false, errors: [`The file is larger than ${MAX_PAPER_FILE_BYTES / 1024 / 1024} MB; split it and import the parts.`] }, { status: 413 });
  let csvMapping: unknown;
  if (fields.data.mapping) {
    try {
      csvMapping = JSON.parse(fields.data.mapping);
    } catch {
      return Response.json({ ok: false, errors: ["The column mapping could not be read."] }, { status: 422 });
    }
  }
  try {
    const outcome = await importPapers(await getDatabase(), user, {
      studyId: fields.data.studyId,
      fileName: file.name || "upload",
      bytes: new Uint8Array(await file.arrayBuffer()),
      format: fields.data.format === "auto" ? undefined : fields.data.format,
      csvMapping,
    });
    return Response.json(outcome, { status: outcome.ok ? 200 : 422 });
  } catch (error) {
    if (error instanceof ForbiddenError) return Response.json({ ok: false, errors: ["You do not have permission to import papers."] }, { status: 403 });
    if (error instanceof AppError) return Response.json({ ok: false, errors: [error.userMessage] }, { status: HTTP_STATUS[error.code] });
    console.error("paper import failed", error);
    return Response.json({ ok: false, errors: ["Something went wrong on our side; nothing was imported. Please try again."] }, { status: 500 });
  }
}
