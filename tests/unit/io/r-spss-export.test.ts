import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import Papa from "papaparse";
import { rScript, spssSyntax, statisticsCsv, statisticsVariables, truncateUtf8, SPSS_VALUE_LABEL_BYTES, SPSS_VARIABLE_LABEL_BYTES } from "@/lib/io/r-spss-export";
import { codebookRows } from "@/lib/survey/export";
import { questionnaireDefinitionSchema, type QuestionnaireDefinition } from "@/lib/survey/definition";
import type { SurveyResponseRecord } from "@/lib/survey/response-record";
import { completeMiniAnswers, loadMini, loadPham } from "../survey/load-questionnaire";

const mini = loadMini();
const pham = loadPham();

const responses: SurveyResponseRecord[] = [
  {
    responseId: "a1",
    status: "complete",
    answers: completeMiniAnswers({ otherRole: "It's \"research\"", why: "GPU kernels" }),
  },
  { responseId: "a2", status: "partial", answers: { role: { choice: "student" }, years: 0 } },
];

// ── Minimal readers of the generated files, independent of the generator ──

/** R: `d[["x"]] <- factor(..., levels = c(..), labels = c(..))` and `attr(d[["x"]], "label") <- "..."`. */
const readR = (script: string) => {
  const rText = (quoted: string): string => JSON.parse(quoted) as string; // the generator escapes like JSON for \\ \" \n
  const labels = new Map<string, string>();
  const factors = new Map<string, Array<{ code: number; label: string }>>();
  for (const line of script.split("\n")) {
    const label = /^attr\(d\[\[("(?:[^"\\]|\\.)*")\]\], "label"\) <- ("(?:[^"\\]|\\.)*")$/.exec(line);
    if (label?.[1] && label[2]) labels.set(rText(label[1]), rText(label[2]));
    const factor = /^d\[\[("(?:[^"\\]|\\.)*")\]\] <- factor\(.*levels = c\(([^)]*)\), labels = c\((.*?)\)(, ordered = TRUE)?\)$/.exec(line);
    if (factor?.[1] && factor[2] !== undefined && factor[3] !== undefined) {
      const codes = factor[2].split(",").map((code) => Number(code.trim()));
      const names = [...factor[3].matchAll(/"(?:[^"\\]|\\.)*"/g)].map((match) => rText(match[0]));
      factors.set(rText(factor[1]), codes.map((code, index) => ({ code, label: names[index] ?? "" })));
    }
  }
  return { labels, factors };
};

/** SPSS: the VARIABLE LABELS, VALUE LABELS and MISSING VALUES commands. */
const readSpss = (syntax: string) => {
  const spssText = (quoted: string): string => quoted.slice(1, -1).replace(/''/g, "'");
  const command = (name: string): string => {
    const start = syntax.indexOf(`\n${name}`);
    if (start < 0) return "";
    const end = syntax.indexOf(".\n", start);
    return syntax.slice(start + name.length + 1, end);
  };
  const labels = new Map<string, string>();
  for (const match of command("VARIABLE LABELS").matchAll(/^\s+(\w+) ('(?:[^']|'')*')$/gm)) if (match[1] && match[2]) labels.set(match[1], spssText(match[2]));
  const values = new Map<string, Array<{ code: number; label: string }>>();
  let current: string | null = null;
  for (const line of command("VALUE LABELS").split("\n")) {
    const variable = /^\s+\/(\w+)$/.exec(line);
    if (variable?.[1]) {
      current = variable[1];
      values.set(current, []);
      continue;
    }
    const value = /^\s+(-?\d+) ('(?:[^']|'')*')$/.exec(line);
    if (value?.[1] && value[2] && current) values.get(current)?.push({ code: Number(value[1]), label: spssText(value[2]) });
  }
  const missing = /\nMISSING VALUES ([\w ]+) \(''\)\./.exec(syntax)?.[1]?.split(" ") ?? [];
  const getData = /\/VARIABLES=\n([\s\S]*?)\n\./.exec(syntax)?.[1]?.trim().split("\n").map((line) => line.trim().split(" ")[0]) ?? [];
  return { labels, values, missing, getData };
};

/** What the codebook says, per column: the question text and the value labels of coded columns. */
const expectedFromCodebook = (definition: QuestionnaireDefinition) => {
  const labels = new Map<string, string>();
  const values = new Map<string, Array<{ code: number; label: string }>>();
  for (const row of codebookRows(definition)) {
    if (row.column === "presentation_order") continue;
    labels.set(row.column, row.questionText);
    if (row.value !== "" && /^\d+$/.test(row.value)) {
      const list = values.get(row.column) ?? [];
      list.push({ code: Number(row.value), label: row.label === "" ? row.value : row.label });
      values.set(row.column, list);
    }
  }
  return { labels, values };
};

describe("R and SPSS files from the codebook", () => {
  for (const [name, definition] of [["mini", mini], ["pham2020", pham]] as const) {
    it(`labels every variable and every value of ${name} as the codebook does`, () => {
      const csvHeader = Papa.parse<string[]>(statisticsCsv(definition, responses.filter(() => name === "mini"))).data[0] ?? [];
      const expected = expectedFromCodebook(definition);
      const r = readR(rScript(definition, "data.csv"));
      const spss = readSpss(spssSyntax(definition, "data.csv"));

      expect(spss.getData).toEqual(csvHeader);
      expect([...r.labels.keys()]).toEqual(csvHeader);
      expect([...spss.labels.keys()]).toEqual(csvHeader);
      for (const column of csvHeader) {
        expect(r.labels.get(column), column).toBe(expected.labels.get(column));
        expect(spss.labels.get(column), column).toBe(truncateUtf8(expected.labels.get(column) ?? "", SPSS_VARIABLE_LABEL_BYTES));
      }
      expect(new Set(r.factors.keys())).toEqual(new Set(expected.values.keys()));
      expect(new Set(spss.values.keys())).toEqual(new Set(expected.values.keys()));
      for (const [column, list] of expected.values) {
        expect(r.factors.get(column), column).toEqual(list);
        expect(spss.values.get(column), column).toEqual(list.map((value) => ({ code: value.code, label: truncateUtf8(value.label, SPSS_VALUE_LABEL_BYTES) })));
      }
      // Every text column treats a blank as missing, and only text columns do.
      const texts = statisticsVariables(definition).filter((variable) => variable.kind === "text").map((variable) => variable.name);
      expect(spss.missing).toEqual(texts);
      expect(texts).toContain("response_id");
    });
  }

  it("escapes quotes in labels and cuts labels SPSS cannot hold, in bytes", () => {
    const definition = questionnaireDefinitionSchema.parse({
      id: "quotes",
      title: "Quotes",
      version: 1,
      language: "en",
      welcome: { text: "Hi" },
      consent: { text: "Ok?", agreeLabel: "Yes", declineLabel: "No" },
      sections: [
        {
          id: "s1",
          title: "One",
          questions: [
            { id: "q1", type: "single_choice", text: `Is it "fair" to say it's ${"é".repeat(200)}?`, options: [{ id: "a", label: "It's fine" }, { id: "b", label: `B ${"ü".repeat(100)}` }] },
          ],
        },
      ],
    });
    const r = readR(rScript(definition, "data.csv"));
    const spss = readSpss(spssSyntax(definition, "data.csv"));
    expect(r.labels.get("q1")).toBe(definition.sections[0]?.questions[0]?.text);
    expect(r.factors.get("q1")?.[0]?.label).toBe("It's fine");
    expect(spss.values.get("q1")?.[0]?.label).toBe("It's fine");
    const cut = spss.labels.get("q1") ?? "";
    expect(cut.endsWith("…")).toBe(true);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(SPSS_VARIABLE_LABEL_BYTES);
    expect(new TextEncoder().encode(spss.values.get("q1")?.[1]?.label ?? "").length).toBeLessThanOrEqual(SPSS_VALUE_LABEL_BYTES);
  });
});

// When R and PSPP are installed (Debian: r-base-core, pspp), run the generated files for real.
const work = mkdtempSync(path.join(tmpdir(), "varstudy-rspss-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasR = existsSync("/usr/bin/Rscript");
const hasPspp = existsSync("/usr/bin/pspp");

describe.skipIf(!hasR)("the R script in R", () => {
  it("loads the CSV with labelled factors", () => {
    writeFileSync(path.join(work, "data.csv"), statisticsCsv(mini, responses));
    writeFileSync(path.join(work, "load.R"), `${rScript(mini, "data.csv")}\ncat(as.character(d$role), sep="|"); cat("\\n"); cat(attr(d$years, "label")); cat("\\n"); cat(levels(d$agree), sep="|")\n`);
    const out = execFileSync("/usr/bin/Rscript", ["load.R"], { cwd: work, encoding: "utf8" }).split("\n");
    const expected = expectedFromCodebook(mini);
    const roleLabel = (id: string) => mini.sections.flatMap((s) => s.questions).find((q) => q.id === "role" && q.type === "single_choice" && q.options.some((o) => o.id === id));
    expect(roleLabel("student")).toBeDefined();
    expect(out.at(-3)).toBe(`${expected.values.get("role")?.find((v) => v.label.toLowerCase().includes("other"))?.label}|${expected.values.get("role")?.find((v) => v.label.toLowerCase().includes("student"))?.label}`);
    expect(out.at(-2)).toBe(expected.labels.get("years"));
    expect(out.at(-1)).toBe(expected.values.get("agree")?.map((v) => v.label).join("|"));
  });
});

describe.skipIf(!hasPspp)("the SPSS syntax in PSPP", () => {
  it("reads the CSV and applies the labels without errors", () => {
    writeFileSync(path.join(work, "data.csv"), statisticsCsv(mini, responses));
    writeFileSync(path.join(work, "load.sps"), `${spssSyntax(mini, "data.csv")}\nDISPLAY DICTIONARY.\nLIST.\n`);
    const out = execFileSync("/usr/bin/pspp", ["-O", "format=txt", "-O", "width=1000", "load.sps"], { cwd: work, encoding: "utf8" });
    expect(out).not.toMatch(/error/i);
    expect(out).toContain("a1");
    expect(out).toContain(expectedFromCodebook(mini).labels.get("years") ?? "??");
  });
});
