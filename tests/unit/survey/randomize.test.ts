import { describe, expect, it } from "vitest";
import { drawPresentationOrder, orderMatrixRows, orderOptions, orderQuestions, presentationOrderSchema, shuffleWithAnchors } from "@/lib/survey/randomize";
import { findQuestion } from "@/lib/survey/definition";
import { createRng } from "@/lib/stats/random";
import { loadMini, loadPham } from "./load-questionnaire";

const mini = loadMini();

describe("shuffleWithAnchors", () => {
  it("keeps anchored items at their index and permutes the rest", () => {
    const items = ["a", "b", "ANCHOR", "c", "d", "LAST"];
    const seen = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const out = shuffleWithAnchors(items, (item) => item === item.toUpperCase(), createRng(seed));
      expect(out[2]).toBe("ANCHOR");
      expect(out[5]).toBe("LAST");
      expect([...out].sort()).toEqual([...items].sort());
      seen.add(out.join(","));
    }
    // 4 free items have 24 orders; 50 seeds should visit many of them, not one.
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe("drawPresentationOrder", () => {
  it("gives the same order for the same seed and a storable record", () => {
    const first = drawPresentationOrder(mini, 12345);
    expect(drawPresentationOrder(mini, 12345)).toEqual(first);
    expect(presentationOrderSchema.parse(JSON.parse(JSON.stringify(first)))).toEqual(first);
    expect(Object.keys(first.questions)).toEqual(["s1"]);
    expect(Object.keys(first.options).sort()).toEqual(["grid", "role", "tools"]);
  });

  it("varies between seeds and keeps anchors in place", () => {
    const roleOrders = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const order = drawPresentationOrder(mini, seed);
      const role = order.options.role ?? [];
      expect(role[role.length - 1]).toBe("prefer_not");
      expect(order.options.tools?.[4]).toBe("nothing");
      expect(order.questions.s1?.[2]).toBe("years");
      roleOrders.add(role.join(","));
    }
    expect(roleOrders.size).toBeGreaterThan(5);
  });

  it("applies a stored order, never including Other, and falls back to definition order", () => {
    const order = { seed: 1, questions: { s1: ["tools", "role", "years"] }, options: { role: ["manager", "student", "engineer", "researcher", "prefer_not"], grid: ["gpu", "init", "order"] } };
    const s1 = mini.sections[0];
    const role = findQuestion(mini, "role");
    const grid = findQuestion(mini, "grid");
    const spread = findQuestion(mini, "spread");
    if (!s1 || role?.type !== "single_choice" || grid?.type !== "matrix" || spread?.type !== "binned_estimate") throw new Error("fixture changed");
    expect(orderQuestions(s1, s1.questions, order).map((q) => q.id)).toEqual(["tools", "role", "years"]);
    expect(orderOptions(role, order).map((o) => o.id)).toEqual(["manager", "student", "engineer", "researcher", "prefer_not"]);
    expect(orderMatrixRows(grid, order).map((row) => row.id)).toEqual(["gpu", "init", "order"]);
    expect(orderOptions(spread, order).map((o) => o.id)).toEqual(["none", "small", "large"]);
    expect(orderQuestions(s1, s1.questions, undefined).map((q) => q.id)).toEqual(["role", "tools", "years"]);
  });

  it("does not reshuffle a question when another question is added", () => {
    const pham = loadPham();
    const extended = structuredClone(pham);
    extended.sections[0]?.questions.unshift({ ...structuredClone(pham.sections[0]!.questions[0]!), id: "new_question" });
    expect(drawPresentationOrder(extended, 99).options.frameworks).toEqual(drawPresentationOrder(pham, 99).options.frameworks);
  });
});
