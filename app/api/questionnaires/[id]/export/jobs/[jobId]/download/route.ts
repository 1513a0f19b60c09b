import fs from "node:fs";
import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { getExportJob } from "@/lib/db/export-jobs";
import { exportExpired, exportedFilePath } from "@/lib/jobs/response-export-job";
import { download, failure, withUser } from "@/app/api/_lib/with-user";

const CONTENT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", "r-data": "text/csv; charset=utf-8", json: "application/json; charset=utf-8" };

/**
 * GET: the file of a finished export job, streamed from its folder, with the permission the export itself needs
 * (surveys.read-results, checked by getExportJob). A job of another questionnaire is 404; an unfinished, failed or
 * expired one has no file to offer (409 / 410), never a part of one.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string; jobId: string }> }) {
  const { id, jobId } = await params;
  return withUser(request, async (user) => {
    const job = await getExportJob(await getDatabase(), user, { questionnaireId: id, jobId });
    if (job.status !== "SUCCEEDED") return failure(job.status === "RUNNING" || job.status === "QUEUED" ? "The export is not finished yet." : (job.message ?? "The export did not finish."), 409);
    const found = exportedFilePath(job);
    if (!found) return failure(exportExpired(job) ? "The file was deleted 24 hours after the export; export again." : "The file of this export is no longer on the server; export again.", 410);
    const stream = Readable.toWeb(fs.createReadStream(found.path)) as ReadableStream<Uint8Array>;
    return download(stream, found.file.file, CONTENT_TYPES[found.file.format] ?? "application/octet-stream", { "Content-Length": String(found.file.bytes) });
  });
}
