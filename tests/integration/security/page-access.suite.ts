import { beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { sharedWorld } from "./world";
import { ROOT } from "./discover";
import { type MatrixContext } from "./matrix-context";
import type { MatrixRole } from "./matrix";
import { redirectTarget } from "./request-context";

type PageProps = { params: Promise<Record<string, unknown>>; searchParams: Promise<Record<string, string>> };
type PageEntry = { allowed: MatrixRole[]; props?: (ctx: MatrixContext) => { params?: Record<string, unknown>; searchParams?: Record<string, string> } };

const ADMIN: MatrixRole[] = ["admin"];
const CODERS: MatrixRole[] = ["annotator", "adjudicator", "admin"];

/**
 * Every page of the signed-in areas (app/admin, app/code) with the roles that may open it. Pages check the
 * permission before they load anything; the data functions they call check again (the matrix and the
 * object-level tests). A new page without an entry fails the first test.
 */
const PAGES: Record<string, PageEntry> = {
  "app/admin/page.tsx": { allowed: ADMIN },
  "app/admin/audit/page.tsx": { allowed: ADMIN },
  "app/admin/backup/page.tsx": { allowed: ADMIN },
  "app/admin/users/page.tsx": { allowed: ADMIN },
  "app/admin/experiments/page.tsx": { allowed: ADMIN },
  "app/admin/experiments/analysis/page.tsx": { allowed: ADMIN, props: (ctx) => ({ searchParams: { study: ctx.studySlug } }) },
  "app/admin/experiments/sets/[...setId]/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { setId: ctx.ids.experimentSet.split("/") } }) },
  "app/admin/literature/page.tsx": { allowed: ADMIN },
  "app/admin/literature/import/page.tsx": { allowed: ADMIN },
  "app/admin/literature/population/page.tsx": { allowed: ADMIN },
  "app/admin/literature/sample/page.tsx": { allowed: ADMIN },
  "app/admin/literature/results/page.tsx": { allowed: ADMIN },
  "app/admin/questionnaires/page.tsx": { allowed: ADMIN },
  "app/admin/questionnaires/from-qualtrics/page.tsx": { allowed: ADMIN },
  "app/admin/studies/page.tsx": { allowed: ADMIN },
  "app/admin/questionnaires/[id]/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { id: ctx.ids.questionnaire } }) },
  "app/admin/questionnaires/[id]/import/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { id: ctx.ids.questionnaire } }) },
  "app/admin/questionnaires/[id]/exports/[jobId]/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { id: ctx.ids.questionnaire, jobId: ctx.ids.exportJob } }) },
  "app/admin/questionnaires/[id]/preview/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { id: ctx.ids.questionnaire } }) },
  "app/admin/studies/[slug]/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { slug: ctx.studySlug } }) },
  "app/admin/studies/[slug]/report/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { slug: ctx.studySlug } }) },
  "app/admin/studies/[slug]/survey/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { slug: ctx.studySlug } }) },
  "app/admin/studies/[slug]/survey/[questionId]/page.tsx": { allowed: ADMIN, props: (ctx) => ({ params: { slug: ctx.studySlug, questionId: "comments" } }) },
  "app/code/page.tsx": { allowed: CODERS },
  // ada's assignment: another coder's for everyone else, who must get "not found".
  "app/code/[assignmentId]/page.tsx": { allowed: ["annotator"], props: (ctx) => ({ params: { assignmentId: ctx.ids.annotatorAssignment } }) },
  "app/code/adjudicate/page.tsx": { allowed: ["adjudicator", "admin"] },
  "app/code/adjudicate/[paperId]/page.tsx": { allowed: ["adjudicator", "admin"], props: (ctx) => ({ params: { paperId: ctx.ids.conflictPaper } }) },
};

function pagesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return pagesUnder(relative);
    return entry.name === "page.tsx" || entry.name === "page.ts" ? [relative] : [];
  });
}

type Outcome = "rendered" | "sign-in" | "forbidden" | "not-found" | `other: ${string}`;

async function open(file: string, props: PageProps): Promise<Outcome> {
  const page = (await import(/* @vite-ignore */ path.join(ROOT, file))) as { default: (props: PageProps) => Promise<unknown> };
  try {
    await page.default(props);
    return "rendered";
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? "";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;404")) return "not-found";
    const target = redirectTarget(error);
    if (target?.startsWith("/login?callbackUrl=")) return "sign-in";
    if (target === "/forbidden") return "forbidden";
    if (target !== null) return `other: redirect ${target}`;
    throw error;
  }
}

describe("page access (embedded)", () => {
  it("lists every page of app/admin and app/code", () => {
    const found = [...pagesUnder("app/admin"), ...pagesUnder("app/code")].sort();
    expect(found.filter((file) => !(file in PAGES)), "add these pages to page-access.test.ts").toEqual([]);
    expect(Object.keys(PAGES).filter((file) => !found.includes(file)), "these entries name no page").toEqual([]);
  });

  describe("opened as each role", () => {
    let ctx: MatrixContext;

    beforeAll(async () => {
      ({ ctx } = await sharedWorld());
    }, 240_000);

    it.each(Object.entries(PAGES))("%s", async (file, entry) => {
      for (const role of ["anonymous", "annotator", "adjudicator", "admin"] as const) {
        ctx.enter(role);
        const given = entry.props?.(ctx) ?? {};
        const outcome = await open(file, { params: Promise.resolve(given.params ?? {}), searchParams: Promise.resolve(given.searchParams ?? {}) });
        if (entry.allowed.includes(role)) expect(outcome, `${file} as ${role}`).toBe("rendered");
        else if (role === "anonymous") expect(outcome, `${file} as ${role}`).toBe("sign-in");
        else expect(["forbidden", "not-found"], `${file} as ${role}: ${outcome}`).toContain(outcome);
      }
    }, 60_000);
  });
});
