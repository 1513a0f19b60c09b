/**
 * What every area's demo seeder receives. In its own file so the seeders and lib/db/seed/demo.ts, which calls
 * them, both import it from below: no circle.
 */
export type DemoContext = { studyId: string; adminId: string; annotatorIds: string[]; demoResponses: boolean };
