import { z } from "zod";
import { failure, withUser } from "@/app/api/_lib/with-user";
import { getDatabase } from "@/lib/db";
import { MAX_PAPER_FILE_BYTES } from "@/lib/db/papers";
import { PAPER_IMPORT_FORMATS } from "@/lib/io/paper-record";
import { startPaperImportJob } from "@/lib/jobs/paper-import-job";

/**
 * Paper-file upload (BibTeX, RIS, CSV). A route handler rather than a server action because exports of whole
 * venues exceed the server-action body limit. The file is stored and imported by a background job
 * (lib/jobs/paper-import-job.ts): this answers 202 with the job at once, and the page follows it at
 * ./jobs/<job id>?studyId=…, whose outcome is the import report or the file's located problems (nothing written).
 */
export const runtime = "nodejs";

const fieldsSchema = z.object({
  studyId: z.string().min(1).max(64),
  format: z.enum(["auto", ...PAPER_IMPORT_FORMATS]).default("auto"),
  mapping: z.string().max(20_000).optional(),
});

export async function POST(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    // Refused before the body is read: the size check on the file below only runs after the whole upload is parsed.
    if (Number(request.headers.get("content-length") ?? 0) > MAX_PAPER_FILE_BYTES + 1024 * 1024) {
      return failure(`The file is larger than ${MAX_PAPER_FILE_BYTES / 1024 / 1024} MB; split it and import the parts.`, 413);
    }
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return failure("The upload could not be read. Choose the file again.", 400);
    }
    const fields = fieldsSchema.safeParse({ studyId: form.get("studyId"), format: form.get("format") || undefined, mapping: form.get("mapping") || undefined });
    const file = form.get("file");
    if (!fields.success) return failure("The upload is missing its study or has an unknown format.", 422);
    if (!(file instanceof File) || file.size === 0) return failure("Choose a non-empty BibTeX, RIS or CSV file.", 422);
    if (file.size > MAX_PAPER_FILE_BYTES) return failure(`The file is larger than ${MAX_PAPER_FILE_BYTES / 1024 / 1024} MB; split it and import the parts.`, 413);
    let csvMapping: unknown;
    if (fields.data.mapping) {
      try {
        csvMapping = JSON.parse(fields.data.mapping);
      } catch {
        return failure("The column mapping could not be read.", 422);
      }
    }
    const job = await startPaperImportJob(await getDatabase(), user, {
      studyId: fields.data.studyId,
      fileName: file.name || "upload",
      bytes: new Uint8Array(await file.arrayBuffer()),
      format: fields.data.format === "auto" ? undefined : fields.data.format,
      csvMapping,
    });
    return Response.json({ ok: true, job }, { status: 202 });
  });
}
