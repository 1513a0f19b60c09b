import type { Database } from "../engine/connection";
import { hashPassword } from "@/lib/auth/passwords";
import type { DemoContext } from "./context";
import { seedLiteratureDemo } from "./demo-literature";
import { seedSurveyDemo } from "./demo-survey";
import { seedExperimentsDemo } from "./demo-experiments";

type AreaSeeder = (db: Database, context: DemoContext) => Promise<string[]>;
const AREA_SEEDERS: AreaSeeder[] = [
  seedExperimentsDemo,
  // one line per area: its seeder, imported above
  seedLiteratureDemo,
  seedSurveyDemo,
];

export const DEMO_ADMIN_EMAIL = "admin@varstudy.local";
export const DEMO_STUDY_SLUG = "pham2020";


const DEMO_ANNOTATORS = [
  { email: "ada@varstudy.local", name: "Ada (annotator)", canAdjudicate: false },
  { email: "grace@varstudy.local", name: "Grace (annotator, adjudicator)", canAdjudicate: true },
];

/**
 * Puts a demo study in place. Idempotent: existing rows are kept, so re-running neither duplicates data nor
 * changes passwords. Returns lines describing what it did, including the admin's password when it was created.
 * @param options.demoResponses also add labelled synthetic survey responses (the quickstart's demo; tests
 *   and benchmarks seed their own data instead).
 */
export async function seedDemo(db: Database, options: { adminPassword: string; demoResponses?: boolean }): Promise<string[]> {
  const report: string[] = [];
  const existingAdmin = await db.prisma.user.findUnique({ where: { email: DEMO_ADMIN_EMAIL } });
  if (existingAdmin) {
    report.push(`admin ${DEMO_ADMIN_EMAIL} already exists (its password was printed when it was created).`);
  } else {
    await db.prisma.user.create({
      data: { email: DEMO_ADMIN_EMAIL, name: "Demo administrator", role: "ADMIN", canAdjudicate: true, passwordHash: await hashPassword(options.adminPassword) },
    });
    report.push(`admin created: ${DEMO_ADMIN_EMAIL} / ${options.adminPassword}  (shown once; change it in a real study)`);
  }
  let created = 0;
  for (const annotator of DEMO_ANNOTATORS) {
    if (await db.prisma.user.findUnique({ where: { email: annotator.email } })) continue;
    // Demo annotators share the admin's password so a newcomer can try every role.
    await db.prisma.user.create({
      data: { ...annotator, role: "ANNOTATOR", passwordHash: await hashPassword(options.adminPassword) },
    });
    created += 1;
  }
  report.push(
    created > 0
      ? `${created} demo annotator(s) created (${DEMO_ANNOTATORS.map((a) => a.email).join(", ")}), same password as the admin.`
      : "demo annotators already exist.",
  );

  const study = await db.prisma.study.upsert({
    where: { slug: DEMO_STUDY_SLUG },
    update: {},
    create: {
      slug: DEMO_STUDY_SLUG,
      name: "Training variance (replication of Pham et al., ASE 2020)",
      description: "The reference study's questionnaire, literature survey and training-variance experiments.",
    },
  });
  const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
  const annotators = await db.prisma.user.findMany({ where: { email: { in: DEMO_ANNOTATORS.map((a) => a.email) } }, orderBy: { email: "asc" } });
  const context: DemoContext = { studyId: study.id, adminId: admin.id, annotatorIds: annotators.map((a) => a.id), demoResponses: options.demoResponses ?? false };
  // Each area adds its demo content here (idempotent, returning report lines).
  for (const seed of AREA_SEEDERS) report.push(...(await seed(db, context)));
  return report;
}
