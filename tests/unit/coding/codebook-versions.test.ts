import { describe, expect, it } from "vitest";
import { diffCodebooks } from "@/lib/coding/codebook-versions";
import type { Codebook } from "@/lib/coding/codebook";
import { referenceCodebook } from "./helpers";

const base = referenceCodebook();
const edit = (change: (codebook: Codebook) => void): Codebook => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

describe("diffCodebooks", () => {
  it("finds no change between identical versions", () => {
    expect(diffCodebooks(base, structuredClone(base))).toEqual({ changes: [], outdatedQuestionIds: [], versionProblem: null });
  });

  it("outdates answers when a question's meaning changes and demands a new version", () => {
    const next = edit((codebook) => {
      codebook.questions[1]!.definition = "Also count cross-validation folds.";
    });
    const diff = diffCodebooks(base, next);
    expect(diff.changes).toEqual([{ questionId: "multipleRuns", kind: "changed", aspects: ["definition"] }]);
    expect(diff.outdatedQuestionIds).toEqual(["multipleRuns"]);
    expect(diff.versionProblem).toMatch(/raise the version above 1/);
    expect(diffCodebooks(base, { ...next, version: 2 }).versionProblem).toBeNull();
  });

  it("treats new examples or shortcuts as presentation that outdates nothing", () => {
    const next = edit((codebook) => {
      codebook.questions[0]!.examples.push({ verdict: "counts as yes", text: "Training a GAN." });
    });
    const diff = diffCodebooks(base, next);
    expect(diff.changes).toEqual([{ questionId: "trainsDL", kind: "changed", aspects: ["examples"] }]);
    expect(diff.outdatedQuestionIds).toEqual([]);
    expect(diff.versionProblem).toBeNull();
  });

  it("reports added and removed questions, lower versions and renamed codebooks", () => {
    const next = edit((codebook) => {
      codebook.questions = codebook.questions.filter((question) => question.id !== "seedsReported");
      codebook.questions.push({ ...structuredClone(base.questions[0]!), id: "usesGPU", text: "Uses a GPU?" });
      codebook.version = 2;
    });
    const diff = diffCodebooks(base, next);
    expect(diff.changes).toEqual([
      { questionId: "seedsReported", kind: "removed", aspects: [] },
      { questionId: "usesGPU", kind: "added", aspects: [] },
    ]);
    expect(diff.outdatedQuestionIds).toEqual(["seedsReported"]);
    expect(diffCodebooks(next, base).versionProblem).toMatch(/lower than/);
    expect(diffCodebooks(base, { ...base, id: "other" }).versionProblem).toMatch(/id changed/);
  });
});
