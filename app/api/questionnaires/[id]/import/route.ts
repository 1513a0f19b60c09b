import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { readUploadText } from "@/lib/io/text-encoding";
import { startResponseImportJob } from "@/lib/jobs/response-import-job";
import { previewImportFile } from "@/lib/jobs/response-import-preview";
import { stableIdSchema } from "@/lib/survey/definition";
import { withUser } from "@/app/api/_lib/with-user";

/** Larger files are refused before reading: 50 MB is far beyond any questionnaire export we know of. */
const MAX_BYTES = 50 * 1024 * 1024;

const fieldsSchema = z.object({
  mode: z.enum(["preview", "import"]),
  format: z.enum(["auto", "qualtrics", "plain"]).default("auto"),
  hiddenAnswers: z.enum(["error", "drop"]).default("error"),
  includeTestResponses: z.enum(["on", "off"]).default("off"),
  // Absent: the mapping saved by the last import applies (lib/db/response-imports.ts).
  overrides: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return z.record(z.string(), stableIdSchema.nullable()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: "custom", message: "Invalid column mapping." });
        return z.NEVER;
      }
    }),
});

/**
 * POST multipart (file, mode=preview|import, format, hiddenAnswers, includeTestResponses, overrides as JSON):
 * preview returns the proposed mapping and a dry run of the whole check (computed in a child process, see
 * lib/jobs/response-import-preview.ts); import stores the file and starts an import job (lib/jobs/response-import-job.ts),
 * answering 202 with the job at once. The page follows the job at ./jobs/<job id>.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return withUser(request, async (user) => {
    const length = Number(request.headers.get("content-length") ?? "0");
    if (length > MAX_BYTES) return NextResponse.json({ ok: false, error: "The file is larger than 50 MB." }, { status: 413 });
    const form = await request.formData().catch(() => null);
    if (!form) return NextResponse.json({ ok: false, error: "The upload could not be read. Choose the file again." }, { status: 400 });
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return NextResponse.json({ ok: false, error: "Choose a CSV file first." }, { status: 422 });
    // A chunked upload has no content-length, so the file itself is checked as well.
    if (file.size > MAX_BYTES) return NextResponse.json({ ok: false, error: "The file is larger than 50 MB." }, { status: 413 });
    const fields = fieldsSchema.safeParse({
      mode: form.get("mode"),
      format: form.get("format") ?? undefined,
      hiddenAnswers: form.get("hiddenAnswers") ?? undefined,
      includeTestResponses: form.get("includeTestResponses") ?? undefined,
      overrides: form.get("overrides") ?? undefined,
    });
    if (!fields.success) return NextResponse.json({ ok: false, error: fields.error.issues[0]?.message ?? "Invalid request." }, { status: 422 });
    const bytes = new Uint8Array(await file.arrayBuffer());
    // Only the encoding is checked here (fast, and a clear message at once); the rows are checked off this path.
    const decoded = readUploadText(bytes);
    if (!decoded.ok) return NextResponse.json({ ok: false, error: decoded.error, errors: [{ row: 1, column: 1, columnName: "", message: decoded.error }] }, { status: 422 });
    const options = {
      format: fields.data.format,
      hiddenAnswers: fields.data.hiddenAnswers,
      includeTestResponses: fields.data.includeTestResponses === "on",
      ...(fields.data.overrides !== undefined ? { questionKeyOverrides: fields.data.overrides } : {}),
    };
    const db = await getDatabase();
    if (fields.data.mode === "preview") return NextResponse.json(await previewImportFile(db, user, { questionnaireId: id, bytes, options }));
    const job = await startResponseImportJob(db, user, { questionnaireId: id, fileName: file.name, bytes, options });
    return NextResponse.json({ ok: true, job }, { status: 202 });
  });
}
