/** The second study of the dashboard's end-to-end server (seeded by dashboard-seed.ts, read by two-studies.spec.ts). */
export const BETA = {
  slug: "beta-replication",
  name: "Beta replication",
  questionnaire: "pham_beta",
  pilot: "pham_beta_pilot",
  completed: 40,
  /** Q26: 4 yes, 6 maybe, 30 no; Q20 splits 20/10/10. */
  counts: { Q20: { yes: 20, maybe: 10, no: 10 }, Q26: { yes: 4, maybe: 6, no: 30 } },
  /** The pilot: 2 completed, both "no" on Q26 (0 of 2 "yes": Wald's interval has zero width). */
  pilotCounts: { Q20: { yes: 1, maybe: 0, no: 1 }, Q26: { yes: 0, maybe: 0, no: 2 } },
  /** Beta's one experiment set: four LeNet-5 demo runs under their own set id. */
  experimentSet: "lenet5-digits/default/beta00000001",
  headline: { id: "aware", label: "Aware of implementation-level variance", question: "Q26", anyOf: ["no"], method: "clopper-pearson" as const, level: 0.9 },
};
