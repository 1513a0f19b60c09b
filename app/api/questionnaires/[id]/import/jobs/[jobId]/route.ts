import { NextResponse, type NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { getDataJob } from "@/lib/db/data-jobs";
import { reportedNow } from "@/lib/jobs/data-job-recovery";
import { RESPONSE_IMPORT_JOB } from "@/lib/jobs/response-import-job";
import { withUser } from "@/app/api/_lib/with-user";

/**
 * GET: an import job of this questionnaire (status, phase, rows checked and written, outcome), for the import page
 * to follow. A job of another questionnaire is 404. A read writes nothing: a job whose server stopped is reported
 * as interrupted, and recovered at the next server start or import.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; jobId: string }> }) {
  const { id, jobId } = await params;
  return withUser(request, async (user) => {
    const job = await getDataJob(await getDatabase(), user, { questionnaireId: id, jobId, kind: RESPONSE_IMPORT_JOB });
    return NextResponse.json({ ok: true, job: reportedNow(job) }, { headers: { "Cache-Control": "no-store" } });
  });
}
