import type { NextRequest } from "next/server";
import { getDatabase } from "@/lib/db";
import { invitationLinksCsv } from "@/lib/db/invitations";
import { authSecret, siteUrl } from "@/lib/env";
import { download, withUser } from "@/app/api/_lib/with-user";

/** GET: the single-use links of an invitation list as CSV (label, link, status). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ listId: string }> }) {
  const { listId } = await params;
  return withUser(request, async (user) => {
    const baseUrl = siteUrl() ?? request.nextUrl.origin;
    const { fileName, csv } = await invitationLinksCsv(await getDatabase(), user, { listId, secret: authSecret(), baseUrl });
    return download(`\uFEFF${csv}`, fileName, "text/csv; charset=utf-8");
  });
}
