import { describe, expect, it } from "vitest";
import { computeAgreement, computeRoundAgreement } from "@/lib/coding/agreement";
import { comparePaperCodings, findConflicts, type PaperCoding } from "@/lib/coding/conflicts";
import { deriveFinalCodes } from "@/lib/coding/final-codes";
import { coding, irrelevant, referenceCodebook, relevant } from "./helpers";

const codebook = referenceCodebook();

describe("comparePaperCodings and findConflicts", () => {
  it("records a relevance disagreement once, not again on the follow-up questions only one coder saw", () => {
    const comparison = comparePaperCodings(codebook, [coding("p", "bob", irrelevant), coding("p", "ann", relevant({ multipleRuns: "yes", runCount: 3, varianceReported: ["sd"] }))]);
    expect(comparison.coderIds).toEqual(["ann", "bob"]);
    expect(comparison.hasConflict).toBe(true);
    expect(comparison.questions.map((question) => [question.questionId, question.status])).toEqual([
      ["trainsDL", "disagree"],
      ["multipleRuns", "not-comparable"],
      ["runCount", "not-comparable"],
      ["varianceReported", "not-comparable"],
      ["seedsReported", "not-comparable"],
      ["networks", "not-comparable"],
    ]);
    expect(comparison.questions[0]?.codes).toEqual([
      { coderId: "ann", isAsked: true, value: "yes" },
      { coderId: "bob", isAsked: true, value: "no" },
    ]);
  });

  it("compares multiple choice as sets, ignores notes, and flags unanswered questions as incomplete", () => {
    const agree = comparePaperCodings(codebook, [
      coding("p", "a", relevant({ networks: ["resnet", "lenet"], note: "first note" })),
      coding("p", "b", relevant({ networks: ["lenet", "resnet"], note: "another note" })),
    ]);
    expect(agree.hasConflict).toBe(false);
    expect(agree.questions.every((question) => question.status === "agree")).toBe(true);
    const incomplete = comparePaperCodings(codebook, [coding("p", "a", relevant()), coding("p", "b", { trainsDL: "yes", multipleRuns: "no" })]);
    expect(incomplete.hasConflict).toBe(false);
    expect(incomplete.questions.find((question) => question.questionId === "networks")?.status).toBe("incomplete");
  });

  it("lists only papers with a disagreement, and needs two codings to compare", () => {
    const codings = [
      coding("p1", "a", irrelevant),
      coding("p1", "b", irrelevant),
      coding("p2", "a", relevant({ seedsReported: "yes" })),
      coding("p2", "b", relevant({ seedsReported: "no" })),
      coding("p3", "a", relevant()),
    ];
    expect(findConflicts(codebook, codings).map((conflict) => conflict.paperKey)).toEqual(["p2"]);
    expect(() => comparePaperCodings(codebook, [coding("p", "a", irrelevant), coding("p", "a", irrelevant)])).toThrow(/two codings by one coder/);
  });
});

describe("computeAgreement on a hand-checked example", () => {
  // Ten papers, two coders. trainsDL: ann says yes on p1–p5, bob on p1–p4 and p10.
  // Table: yes/yes 4, yes/no 1, no/yes 1, no/no 4 → agreement 0.8, chance 0.5, kappa 0.6.
  // Krippendorff (nominal, 20 values): α = 1 − 19·2/(10·10) = 0.62.
  // multipleRuns is asked of both only on p1–p4: ann yes,yes,no,no; bob yes,no,no,no → 3/4 agree.
  const annRuns = ["yes", "yes", "no", "no"];
  const bobRuns = ["yes", "no", "no", "no"];
  const codings: PaperCoding[] = [];
  for (let index = 1; index <= 10; index++) {
    const paper = `p${index}`;
    const annYes = index <= 5;
    const bobYes = index <= 4 || index === 10;
    codings.push(coding(paper, "ann", annYes ? relevant({ multipleRuns: annRuns[index - 1] ?? "no" }) : irrelevant));
    codings.push(coding(paper, "bob", bobYes ? relevant({ multipleRuns: bobRuns[index - 1] ?? "no" }) : irrelevant));
  }
  const report = computeAgreement(codebook, codings, { bootstrapResamples: 200, seed: 5 });
  const question = (id: string) => report.questions.find((item) => item.questionId === id)!;

  it("computes percent agreement, Cohen's kappa and alpha for 'trains DL?'", () => {
    const trainsDL = question("trainsDL");
    expect(trainsDL.units).toBe(10);
    expect(trainsDL.percentAgreement).toMatchObject({ value: 0.8, n: 10 });
    expect(trainsDL.cohenKappa?.value).toBeCloseTo(0.6, 12);
    expect(trainsDL.cohenKappa?.n).toBe(10);
    expect(trainsDL.krippendorffAlpha.value).toBeCloseTo(0.62, 12);
    expect(trainsDL.fleissKappa).toBeNull();
    const kappa = trainsDL.cohenKappa;
    if (kappa?.value == null || !("interval" in kappa) || !kappa.interval) throw new Error("kappa interval expected");
    expect(kappa.interval.lower).toBeLessThan(0.6);
    expect(kappa.interval.upper).toBeGreaterThan(0.6);
  });

  it("uses only the papers on which both coders were asked the conditional question", () => {
    const runs = question("multipleRuns");
    expect(runs.units).toBe(4);
    expect(runs.percentAgreement).toMatchObject({ value: 0.75, n: 4 });
  });

  it("reports an undefined kappa with its reason instead of a number", () => {
    // Both coders answer "no" to seedsReported everywhere it was asked: kappa is 0/0.
    const seeds = question("seedsReported");
    expect(seeds.percentAgreement).toMatchObject({ value: 1, n: 4 });
    expect(seeds.cohenKappa).toMatchObject({ value: null, n: 4 });
    expect(seeds.krippendorffAlpha.value).toBeNull();
  });

  it("gives a reproducible bootstrap interval for alpha from the seed", () => {
    const again = computeAgreement(codebook, codings, { bootstrapResamples: 200, seed: 5 });
    expect(again.questions[0]?.krippendorffAlpha).toEqual(report.questions[0]?.krippendorffAlpha);
    expect(report.overall.papersWithoutConflict).toMatchObject({ value: 0.7, n: 10 });
  });
});

describe("computeAgreement with three coders", () => {
  it("computes Fleiss' kappa (hand-checked 1/3) and no Cohen's kappa", () => {
    // Ratings per paper: yyy, nnn, yyn, nny → P̄ = 2/3, P_e = 0.5, kappa = 1/3.
    const pattern = [["yes", "yes", "yes"], ["no", "no", "no"], ["yes", "yes", "no"], ["no", "no", "yes"]];
    const codings = pattern.flatMap((answers, index) =>
      answers.map((answer, coder) => coding(`p${index}`, `c${coder}`, answer === "yes" ? relevant() : irrelevant)),
    );
    const trainsDL = computeAgreement(codebook, codings, { bootstrapResamples: 0 }).questions[0]!;
    expect(trainsDL.cohenKappa).toBeNull();
    expect(trainsDL.fleissKappa?.value).toBeCloseTo(1 / 3, 12);
    expect(trainsDL.percentAgreement).toMatchObject({ value: 0.5, n: 4 });
  });
});

describe("deriveFinalCodes", () => {
  it("takes agreed codes, the adjudicator's code with its reason, and leaves the rest pending", () => {
    const codings = [
      coding("agree", "a", relevant({ note: "x" })),
      coding("agree", "b", relevant({ note: "y" })),
      coding("conflict", "a", irrelevant),
      coding("conflict", "b", relevant()),
      coding("resolved", "a", irrelevant),
      coding("resolved", "b", relevant()),
      coding("single", "a", irrelevant),
    ];
    const finals = deriveFinalCodes(codebook, codings, [
      { paperKey: "resolved", adjudicatorId: "judge", answers: { trainsDL: "no" }, reason: "only uses a pre-trained model" },
    ]);
    expect(finals).toEqual([
      { paperKey: "agree", status: "agreed", answers: { trainsDL: "yes", multipleRuns: "no", seedsReported: "no", networks: ["other"] } },
      { paperKey: "conflict", status: "pending", reason: "coders disagree; adjudication needed" },
      { paperKey: "resolved", status: "adjudicated", answers: { trainsDL: "no" }, adjudicatorId: "judge", reason: "only uses a pre-trained model" },
      { paperKey: "single", status: "pending", reason: "1 of at least 2 codings" },
    ]);
  });

  it("counts an optional question both coders left blank as agreement, not as an incomplete coding", () => {
    // runCount is optional (required: false) and asked after multipleRuns = yes; neither coder filled it in.
    const both = relevant({ multipleRuns: "yes", varianceReported: ["sd"] });
    const finals = deriveFinalCodes(codebook, [coding("p", "a", both), coding("p", "b", both)]);
    expect(finals[0]).toMatchObject({ status: "agreed", answers: { trainsDL: "yes", multipleRuns: "yes" } });
    // One coder gave a count, the other none: that is still open, never silently agreed.
    const one = deriveFinalCodes(codebook, [coding("p", "a", { ...both, runCount: 5 }), coding("p", "b", both)]);
    expect(one[0]!.status).toBe("pending");
  });

  it("refuses an adjudication that is incomplete or has no reason", () => {
    const codings = [coding("p", "a", irrelevant), coding("p", "b", relevant())];
    expect(deriveFinalCodes(codebook, codings, [{ paperKey: "p", adjudicatorId: "j", answers: { trainsDL: "yes" }, reason: "r" }])[0]).toMatchObject({
      status: "pending",
      reason: expect.stringMatching(/multipleRuns: missing/),
    });
    expect(deriveFinalCodes(codebook, codings, [{ paperKey: "p", adjudicatorId: "j", answers: { trainsDL: "no" }, reason: " " }])[0]).toMatchObject({
      status: "pending",
      reason: "adjudication has no reason",
    });
  });
});

describe("computeRoundAgreement", () => {
  it("reports calibration and main rounds separately", () => {
    const codings = [
      { ...coding("c1", "a", irrelevant), round: "calibration" as const },
      { ...coding("c1", "b", relevant()), round: "calibration" as const },
      { ...coding("c2", "a", relevant()), round: "calibration" as const },
      { ...coding("c2", "b", relevant()), round: "calibration" as const },
      { ...coding("m1", "a", irrelevant), round: "main" as const },
    ];
    const rounds = computeRoundAgreement(codebook, codings, { bootstrapResamples: 0 });
    expect(rounds.calibration?.papers).toBe(2);
    expect(rounds.calibration?.questions[0]?.percentAgreement).toMatchObject({ value: 0.5, n: 2 });
    expect(rounds.main).toBeNull();
  });
});
