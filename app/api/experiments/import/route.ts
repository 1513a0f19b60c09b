import { NextResponse } from "next/server";
import { failure, withUser } from "@/app/api/_lib/with-user";
import { getDatabase } from "@/lib/db";
import { readUploadText } from "@/lib/io/text-encoding";
import { importResultsUpload } from "@/lib/db/runs";
import { chooseExperimentStudy } from "@/lib/db/experiment-studies";

/**
 * Upload of a runner results file (JSON Lines). A route handler rather than a server action because a study's
 * results file can exceed the server-action body limit (1 MB by default); the Experiments page posts to it.
 * Answers JSON: { ok: true, imported, alreadyPresent, sets, skippedLines } or { ok: false, error, lineErrors }.
 */
export const dynamic = "force-dynamic";

const MAX_BYTES = 64 * 1024 * 1024;

export async function POST(request: Request) {
  return withUser(request, async (user) => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_BYTES) return failure(`The file is larger than ${MAX_BYTES / 1024 / 1024} MB; import it with npm run variance -- import <dir> instead.`, 413);
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return failure("Send the file as a form upload (field 'file').", 400);
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return failure("Choose a results file (results.jsonl) to import.", 422);
    if (file.size > MAX_BYTES) return failure(`The file is larger than ${MAX_BYTES / 1024 / 1024} MB.`, 413);
    const decoded = readUploadText(new Uint8Array(await file.arrayBuffer()));
    if (!decoded.ok) return failure(decoded.error, 422);
    const db = await getDatabase();
    const study = form.get("study");
    const choice = await chooseExperimentStudy(db, typeof study === "string" && study !== "" ? study : null);
    if (!choice.ok) return failure(choice.error, 422);
    const result = await importResultsUpload(db, user, {
      text: decoded.text,
      fileName: file.name || "upload.jsonl",
      importValidDespiteErrors: form.get("importValid") === "on",
      studyId: choice.study.id,
    });
    if (!result.ok) return NextResponse.json(result, { status: 422 });
    return NextResponse.json({
      ok: true,
      imported: result.outcome.imported,
      alreadyPresent: result.outcome.alreadyPresent,
      sets: result.outcome.sets,
      study: choice.study.slug,
      skippedLines: result.skippedLines,
      failures: result.failures,
    });
  });
}
