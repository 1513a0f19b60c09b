import { z } from "zod";
import { ForbiddenError } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db";
import { EXPORT_FORMATS, exportLiteratureSample } from "@/lib/db/literature-results";
import { AppError, HTTP_STATUS } from "@/lib/errors";

/** Download of the coded sample: ?studyId=…&format=csv|codebook-csv|json. Admins only (checked in lib/db). */
export const runtime = "nodejs";

const querySchema = z.object({ studyId: z.string().min(1).max(64), format: z.enum(EXPORT_FORMATS) });

export async function GET(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const url = new URL(request.url);
  const query = querySchema.safeParse({ studyId: url.searchParams.get("studyId"), format: url.searchParams.get("format") });
  if (!query.success) return new Response("Unknown study or format (csv, codebook-csv, json).", { status: 422 });
  try {
    const file = await exportLiteratureSample(await getDatabase(), user, query.data.studyId, query.data.format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return new Response("You do not have permission to export codes.", { status: 403 });
    if (error instanceof AppError) return new Response(error.userMessage, { status: HTTP_STATUS[error.code] });
    console.error("export failed", error);
    return new Response("Something went wrong on our side.", { status: 500 });
  }
}
