import type { Database } from "./connection";
import { hashPassword } from "@/lib/auth/passwords";

export const DEMO_ADMIN_EMAIL = "admin@varstudy.local";

const DEMO_ANNOTATORS = [
  { email: "ada@varstudy.local", name: "Ada (annotator)", canAdjudicate: false },
  { email: "grace@varstudy.local", name: "Grace (annotator, adjudicator)", canAdjudicate: true },
];

/**
 * Puts a demo study in place. Idempotent: existing rows are kept, so re-running neither duplicates data nor
 * changes passwords. Returns lines describing what it did, including the admin's password when it was created.
 */
export async function seedDemo(db: Database, options: { adminPassword: string }): Promise<string[]> {
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
  return report;
}
