import { z } from "zod";
import { failure, withUser } from "@/app/api/_lib/with-user";
import { getDatabase } from "@/lib/db";
import { EXPORT_FORMATS, exportLiteratureSample } from "@/lib/db/literature-results";

/** Download of the coded sample: ?studyId=…&format=csv|codebook-csv|json. Admins only (checked in lib/db). */
export const runtime = "nodejs";

const querySchema = z.object({ studyId: z.string().min(1).max(64), format: z.enum(EXPORT_FORMATS) });

export async function GET(request: Request): Promise<Response> {
  return withUser(request, async (user) => {
    const url = new URL(request.url);
    const query = querySchema.safeParse({ studyId: url.searchParams.get("studyId"), format: url.searchParams.get("format") });
    if (!query.success) return failure("Unknown study or format (csv, codebook-csv, json).", 422);
    const file = await exportLiteratureSample(await getDatabase(), user, query.data.studyId, query.data.format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
