import { NextResponse, type NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { getExportJob } from "@/lib/db/export-jobs";
import { reportedNow } from "@/lib/jobs/data-job-recovery";
import { EXPORT_STOPPED, exportedFilePath } from "@/lib/jobs/response-export-job";
import { withUser } from "@/app/api/_lib/with-user";

/**
 * GET: an export job of this questionnaire (status, responses written of the total, outcome, and whether its file
 * can be downloaded), for the export page to follow. A job of another questionnaire is 404; one whose server
 * stopped is reported as interrupted without writing (the recovery at server start or at the next export settles it).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; jobId: string }> }) {
  const { id, jobId } = await params;
  return withUser(request, async (user) => {
    const db = await getDatabase();
    const job = reportedNow(await getExportJob(db, user, { questionnaireId: id, jobId }), EXPORT_STOPPED);
    return NextResponse.json({ ok: true, job, downloadable: exportedFilePath(job) !== null }, { headers: { "Cache-Control": "no-store" } });
  });
}
