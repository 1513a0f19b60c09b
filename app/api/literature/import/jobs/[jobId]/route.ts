import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { getLiteratureJob } from "@/lib/db/data-jobs";
import { reportedNow } from "@/lib/jobs/data-job-recovery";
import { failure, withUser } from "@/app/api/_lib/with-user";

const querySchema = z.object({ studyId: z.string().min(1).max(64) });

/**
 * GET ?studyId=…: a paper-import job of this study (status, phase, papers written, outcome), for the import page
 * to follow. A job of another study is 404. A read writes nothing: a job whose server stopped is reported as
 * interrupted, and recovered at the next server start or import.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return withUser(request, async (user) => {
    const query = querySchema.safeParse({ studyId: request.nextUrl.searchParams.get("studyId") });
    if (!query.success) return failure("Say which study the job belongs to (studyId).", 422);
    const job = await getLiteratureJob(await getDatabase(), user, { studyId: query.data.studyId, jobId });
    return NextResponse.json({ ok: true, job: reportedNow(job) }, { headers: { "Cache-Control": "no-store" } });
  });
}
