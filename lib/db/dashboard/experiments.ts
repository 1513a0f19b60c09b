/** Training-experiment aggregates per imported set (min, max, mean, SD of accuracies and times). Needs experiments.read. */
import type { Database } from "@/lib/db/engine/connection";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import type { ExperimentSetAggregate } from "@/lib/dashboard/experiment-results";

/**
 * Per-set aggregates of a study's imported experiment sets. Accuracies are fractions (0–1) as the runner
 * writes them; seconds are up to the selected checkpoint.
 */
export async function experimentSetAggregates(db: Database, actor: Actor, studyId: string, weakBelow = 0.2): Promise<ExperimentSetAggregate[]> {
  assertCan(actor, "experiments.read");
  const stats = (column: string, name: string) =>
    `min(x."${column}")::float8 AS "${name}Min", max(x."${column}")::float8 AS "${name}Max", avg(x."${column}")::float8 AS "${name}Mean", stddev_samp(x."${column}")::float8 AS "${name}Sd"`;
  return db.sql.query<ExperimentSetAggregate>(
    `SELECT s."id", s."preset", s."setting", s."backend", s."command", count(x."id")::int AS runs,
            ${stats("bestLossTestAccuracy", "loss")}, ${stats("bestAccTestAccuracy", "acc")},
            ${stats("bestLossSeconds", "lossSeconds")}, ${stats("bestAccSeconds", "accSeconds")},
            count(x."id") FILTER (WHERE x."bestLossTestAccuracy" < $2 OR x."bestAccTestAccuracy" < $2)::int AS "weakRuns"
       FROM "ExperimentSet" s LEFT JOIN "ExperimentRun" x ON x."setId" = s."id"
      WHERE s."studyId" = $1
      GROUP BY s."id" ORDER BY s."preset", s."setting", s."id"`,
    [studyId, weakBelow],
  );
}
