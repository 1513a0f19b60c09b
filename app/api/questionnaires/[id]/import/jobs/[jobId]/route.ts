import { NextResponse, type NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { getDataJob } from "@/lib/db/data-jobs";
import { recoverInterruptedDataJobs, RESPONSE_IMPORT_JOB } from "@/lib/jobs/response-import-job";
import { withUser } from "@/app/api/_lib/with-user";

/**
 * GET: an import job of this questionnaire (status, phase, rows checked and written, outcome), for the import page
 * to follow. A job of another questionnaire is 404. A job whose server stopped is reported as interrupted.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; jobId: string }> }) {
  const { id, jobId } = await params;
  return withUser(request, async (user) => {
    const db = await getDatabase();
    const job = await getDataJob(db, user, { questionnaireId: id, jobId, kind: RESPONSE_IMPORT_JOB });
    if (job.status !== "RUNNING" && job.status !== "QUEUED") return NextResponse.json({ ok: true, job }, { headers: { "Cache-Control": "no-store" } });
    await recoverInterruptedDataJobs(db);
    return NextResponse.json({ ok: true, job: await getDataJob(db, user, { questionnaireId: id, jobId, kind: RESPONSE_IMPORT_JOB }) }, { headers: { "Cache-Control": "no-store" } });
  });
}
