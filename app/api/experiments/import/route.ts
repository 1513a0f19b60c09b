import { NextResponse } from "next/server";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { importResultsUpload } from "@/lib/db/runs";
import { chooseExperimentStudy } from "@/lib/db/experiment-studies";
import { AppError, HTTP_STATUS } from "@/lib/errors";

/**
 * Upload of a runner results file (JSON Lines). A route handler rather than a server action because a study's
 * results file can exceed the server-action body limit (1 MB by default); the Experiments page posts to it.
 * Answers JSON: { ok: true, imported, alreadyPresent, sets, skippedLines } or { ok: false, error, lineErrors }.
 */
export const dynamic = "force-dynamic";

const MAX_BYTES = 64 * 1024 * 1024;

export async function POST(request: Request) {
  // Browsers send Origin on POST: refuse uploads posted from another site with this user's cookies.
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin && origin !== process.env.NEXTAUTH_URL?.replace(/\/$/, "")) {
    return NextResponse.json({ ok: false, error: "Uploads are accepted from this site's own pages only." }, { status: 403 });
  }
  const user = await getCurrentUser();
  if (!user) return NextResponse.json({ ok: false, error: "Your session has ended. Sign in again." }, { status: 401 });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return NextResponse.json({ ok: false, error: `The file is larger than ${MAX_BYTES / 1024 / 1024} MB; import it with npm run variance -- import <dir> instead.` }, { status: 413 });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return NextResponse.json({ ok: false, error: "Send the file as a form upload (field 'file')." }, { status: 400 });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return NextResponse.json({ ok: false, error: "Choose a results file (results.jsonl) to import." }, { status: 422 });
  if (file.size > MAX_BYTES) return NextResponse.json({ ok: false, error: `The file is larger than ${MAX_BYTES / 1024 / 1024} MB.` }, { status: 413 });
  try {
    const db = await getDatabase();
    const study = form.get("study");
    const choice = await chooseExperimentStudy(db, typeof study === "string" && study !== "" ? study : null);
    if (!choice.ok) return NextResponse.json({ ok: false, error: choice.error }, { status: 422 });
    const result = await importResultsUpload(db, user, {
      text: await file.text(),
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
  } catch (error) {
    if (error instanceof ForbiddenError) return NextResponse.json({ ok: false, error: "You do not have permission to import results." }, { status: 403 });
    if (error instanceof AppError) return NextResponse.json({ ok: false, error: error.userMessage }, { status: HTTP_STATUS[error.code] });
    console.error("results import failed", error);
    return NextResponse.json({ ok: false, error: "Something went wrong on our side; nothing was imported. Please try again." }, { status: 500 });
  }
}
