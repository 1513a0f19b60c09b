/**
 * Fuzzing of the importers: valid files (the project's fixtures, given fresh ids so they can be accepted) and
 * mutations of them (byte flips, truncation, deleted/duplicated lines, Latin-1 instead of UTF-8, huge fields,
 * BOMs, stray quotes, NUL bytes, garbage lines) go through the same lib/db import functions the app calls. For
 * every file the outcome must be one of:
 *   accepted — the rows the importer reports were written, no more and no fewer;
 *   rejected — with a reason (and, for errors inside the file, a line/row number), and nothing written;
 * never an exception other than the importers' own AppError with a user message (that is a crash).
 */
import fs from "node:fs";
import path from "node:path";
import type { Actor } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/engine/connection";
import { importPapers } from "@/lib/db/papers";
import { createQuestionnaire, DefinitionInvalidError, readQuestionnaireFile, publishQuestionnaireVersion } from "@/lib/db/questionnaires";
import { commitImport } from "@/lib/db/response-imports";
import { importResultsUpload } from "@/lib/db/runs";
import { AppError } from "@/lib/errors";
import { createRng, type Rng } from "@/lib/stats/random";

export type Verdict =
  | { kind: "accepted"; rows: number }
  | { kind: "rejected"; reason: string; location: number | null }
  | { kind: "crash"; error: string };

export type ImporterTarget = {
  name: string;
  /** Valid files to start from (fresh ids are put in by freshen). */
  seeds: string[];
  /** Gives a file ids no earlier file used, so a valid file can be accepted again. */
  freshen(text: string, unique: string): string;
  /** Rows this importer writes, counted in the database (to check "accepted whole" and "nothing written"). */
  count(db: Database): Promise<number>;
  run(db: Database, bytes: Uint8Array, fileName: string): Promise<Verdict>;
};

const root = path.resolve(import.meta.dirname, "../..");
const read = (relative: string) => fs.readFileSync(path.join(root, relative), "utf8");
const utf8 = new TextDecoder("utf-8");
const firstLine = (errors: readonly { line?: number; row?: number }[]) => errors.map((error) => error.line ?? error.row).find((n) => typeof n === "number" && n > 0) ?? null;

/** Where a file-level reason ("the file is empty") is an acceptable answer without a line number. */
export const FILE_LEVEL = /UTF-16|empty|no entries|no valid|not recogni|larger than|encoding|format|header|no .*rows|no responses|nothing to import|contains no|^not an? |no column|binary/i;

function appErrorVerdict(error: unknown): Verdict {
  if (error instanceof DefinitionInvalidError) return { kind: "rejected", reason: error.errors[0]?.message ?? error.userMessage, location: firstLine(error.errors) };
  if (error instanceof AppError) return { kind: "rejected", reason: error.userMessage, location: null };
  return { kind: "crash", error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error) };
}

/**
 * Fresh ids for a seed file, so that a valid file is not refused as already imported: the papers' titles (the
 * duplicate check), the Qualtrics response ids, the runner's set ids. Also used by the HTTP part of the fuzzer.
 */
export const FRESHEN = {
  paperTitles: (text: string, unique: string) => text.replace(/(title\s*=\s*[{"]|^TI {2}- |^T1 {2}- )/gim, `$1${unique} `),
  responseIds: (text: string, unique: string) => text.replace(/R_[A-Za-z0-9]{15}/g, (id) => `R_${unique}${id.slice(2 + unique.length)}`),
  runnerSets: (text: string, unique: string) => text.replace(/"setId":"([^"]*)"/g, `"setId":"$1-${unique}"`),
};

/** The importers under test, for one database with an admin, a study and the published reference questionnaire. */
export async function importerTargets(db: Database, admin: Actor): Promise<ImporterTarget[]> {
  const studyId = (await db.prisma.study.create({ data: { slug: `fuzz_${Date.now().toString(36)}`, name: "Fuzz study" } })).id;
  const { sourceText } = readQuestionnaireFile(path.join(root, "data/questionnaires/pham2020.yaml"));
  const pham = await createQuestionnaire(db, admin, { sourceText: sourceText.replace(/^id: \S+/m, "id: fuzz_pham") });
  const version = await db.prisma.questionnaireVersion.findFirstOrThrow({ where: { questionnaireId: pham.id } });
  await publishQuestionnaireVersion(db, admin, { questionnaireId: pham.id, versionId: version.id });
  const papers = (name: string, format: "bibtex" | "ris" | "csv", seeds: string[]): ImporterTarget => ({
    name,
    seeds,
    freshen: FRESHEN.paperTitles,
    count: (target) => target.prisma.paper.count({ where: { studyId } }),
    async run(target, bytes, fileName) {
      try {
        const outcome = await importPapers(target, admin, { studyId, fileName, bytes, format });
        if (outcome.ok) return { kind: "accepted", rows: outcome.report.counts.new };
        const reason = outcome.errors.join("; ");
        const line = /(?:line|row|entry) (\d+)/i.exec(reason);
        return { kind: "rejected", reason, location: line ? Number(line[1]) : null };
      } catch (error) {
        return appErrorVerdict(error);
      }
    },
  });
  return [
    {
      name: "questionnaire definition (YAML)",
      seeds: [sourceText, read("tests/fixtures/survey/mini.yaml"), read("data/questionnaires/pham2020-headlines.yaml")],
      freshen: (text, unique) => text.replace(/^id: \S+/m, `id: f${unique}`),
      count: async (target) => (await target.prisma.questionnaire.count()) + (await target.prisma.questionnaireVersion.count()),
      async run(target, bytes) {
        try {
          await createQuestionnaire(target, admin, { sourceText: utf8.decode(bytes) });
          return { kind: "accepted", rows: 2 };
        } catch (error) {
          return appErrorVerdict(error);
        }
      },
    },
    {
      name: "response CSV (Qualtrics)",
      seeds: [read("tests/fixtures/survey/qualtrics-pham2020-numeric.csv"), read("tests/fixtures/survey/qualtrics-pham2020-choice-text.csv")],
      freshen: FRESHEN.responseIds,
      count: (target) => target.prisma.response.count({ where: { questionnaireId: pham.id } }),
      async run(target, bytes, fileName) {
        try {
          const outcome = await commitImport(target, admin, { questionnaireId: pham.id, fileName, text: utf8.decode(bytes) });
          if (outcome.ok) return { kind: "accepted", rows: outcome.imported };
          return { kind: "rejected", reason: outcome.errors.map((error) => error.message).join("; "), location: firstLine(outcome.errors) };
        } catch (error) {
          return appErrorVerdict(error);
        }
      },
    },
    papers("BibTeX", "bibtex", [read("tests/fixtures/papers/dblp-icse-neurips.bib"), read("data/demo/pham2020-demo-population.bib").slice(0, 20_000)]),
    papers("RIS", "ris", [read("tests/fixtures/papers/zotero-export.ris"), read("tests/fixtures/papers/mixed-encoding.ris")]),
    papers("paper CSV", "csv", [read("tests/fixtures/papers/messy-papers.csv")]),
    {
      name: "runner results (JSON Lines)",
      seeds: [read("tests/fixtures/runner/lenet1-quick-tiny/results.jsonl")],
      freshen: FRESHEN.runnerSets,
      count: (target) => target.prisma.experimentRun.count(),
      async run(target, bytes, fileName) {
        try {
          const outcome = await importResultsUpload(target, admin, { text: utf8.decode(bytes), fileName, importValidDespiteErrors: false, studyId });
          if (outcome.ok) return { kind: "accepted", rows: outcome.outcome.imported };
          return { kind: "rejected", reason: `${outcome.error} ${outcome.lineErrors.map((error) => error.message).join("; ")}`, location: firstLine(outcome.lineErrors) };
        } catch (error) {
          return appErrorVerdict(error);
        }
      },
    },
  ];
}

// ───────────── mutations ─────────────

const encoder = new TextEncoder();
const pickInt = (rng: Rng, n: number) => Math.floor(rng() * n);

function mutateLines(text: string, rng: Rng, change: (lines: string[], at: number) => void): string {
  const lines = text.split("\n");
  change(lines, pickInt(rng, lines.length));
  return lines.join("\n");
}

/** Each mutation takes the file's bytes and returns new bytes; names appear in the report. */
export const MUTATIONS: Record<string, (bytes: Uint8Array, rng: Rng) => Uint8Array> = {
  "byte flips": (bytes, rng) => {
    const out = bytes.slice();
    for (let i = 0; i < 1 + pickInt(rng, 8); i += 1) if (out.length > 0) out[pickInt(rng, out.length)] = pickInt(rng, 256);
    return out;
  },
  truncated: (bytes, rng) => bytes.slice(0, pickInt(rng, bytes.length)),
  "deleted line": (bytes, rng) => encoder.encode(mutateLines(utf8.decode(bytes), rng, (lines, at) => lines.splice(at, 1))),
  "duplicated line": (bytes, rng) => encoder.encode(mutateLines(utf8.decode(bytes), rng, (lines, at) => lines.splice(at, 0, lines[at]!))),
  "swapped lines": (bytes, rng) =>
    encoder.encode(
      mutateLines(utf8.decode(bytes), rng, (lines, at) => {
        const other = pickInt(rng, lines.length);
        [lines[at], lines[other]] = [lines[other]!, lines[at]!];
      }),
    ),
  "Latin-1 instead of UTF-8": (bytes, rng) => {
    const text = utf8.decode(bytes);
    const at = pickInt(rng, text.length);
    // Accented letters somewhere in the file, then every character written as one Latin-1 byte.
    return Uint8Array.from(`${text.slice(0, at)}Café résumé naïve${text.slice(at)}`, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f));
  },
  "UTF-16 with BOM": (bytes) => {
    const text = utf8.decode(bytes);
    const out = new Uint8Array(2 + text.length * 2);
    out[0] = 0xff;
    out[1] = 0xfe;
    for (let i = 0; i < text.length; i += 1) {
      out[2 + i * 2] = text.charCodeAt(i) & 0xff;
      out[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    return out;
  },
  // Issue 23's shapes: UTF-16 as Excel's "Unicode text" without its BOM, escapes that decode to text PostgreSQL
  // cannot store (NUL, lone surrogates: JSON Lines and YAML decode them), and values that pass a character limit
  // but overflow an index in bytes (a 1,000-character CJK title, a 2,000-character id).
  "UTF-16 without BOM": (bytes) => {
    const text = utf8.decode(bytes);
    const out = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i += 1) {
      out[i * 2] = text.charCodeAt(i) & 0xff;
      out[i * 2 + 1] = text.charCodeAt(i) >> 8;
    }
    return out;
  },
  "escaped NUL or surrogate": (bytes, rng) => {
    let text = utf8.decode(bytes);
    for (let i = 0; i < 1 + pickInt(rng, 3); i += 1) {
      // Inside an existing quoted value when there is one, so the escape is decoded rather than a syntax error.
      const quote = text.indexOf('"', pickInt(rng, text.length));
      const at = quote >= 0 ? quote + 1 : pickInt(rng, text.length);
      text = `${text.slice(0, at)}${["\\u0000", "\\ud800", "\\udfff", "\\0"][pickInt(rng, 4)]}${text.slice(at)}`;
    }
    return encoder.encode(text);
  },
  "long CJK value": (bytes, rng) => {
    const text = utf8.decode(bytes);
    const at = pickInt(rng, text.length);
    return encoder.encode(`${text.slice(0, at)}${"訓練変動".repeat(250 + pickInt(rng, 500))}${text.slice(at)}`);
  },
  "long id": (bytes, rng) => {
    const text = utf8.decode(bytes);
    // After an id-like token (R_…, a set id, a BibTeX key), so the id itself grows past its index limit.
    const match = /R_[A-Za-z0-9]+|"setId":"|@\w+\{|^ID {2}- /m.exec(text.slice(pickInt(rng, Math.max(1, text.length / 2))));
    const at = match ? text.indexOf(match[0]) + match[0].length : pickInt(rng, text.length);
    return encoder.encode(`${text.slice(0, at)}${"i".repeat(2_000 + pickInt(rng, 2_000))}${text.slice(at)}`);
  },
  "many fields": (bytes, rng) => {
    // Thousands of extra fields on one line (columns, keys, tags): the probe's "many fields" shape.
    const text = utf8.decode(bytes);
    const lines = text.split("\n");
    const at = pickInt(rng, lines.length);
    const count = 2_000 + pickInt(rng, 8_000);
    const separator = [",", ";", "\t", " = x, "][pickInt(rng, 4)]!;
    lines[at] = `${lines[at]}${Array.from({ length: count }, (_, i) => `${separator}f${i}`).join("")}`;
    return encoder.encode(lines.join("\n"));
  },
  "lone surrogate in text": (bytes, rng) => {
    // A real (decoded) lone surrogate, written as UTF-8 would encode it (CESU bytes ED A0 80): invalid UTF-8.
    const at = pickInt(rng, bytes.length);
    return new Uint8Array([...bytes.slice(0, at), 0xed, 0xa0, 0x80, ...bytes.slice(at)]);
  },
  "UTF-8 BOM": (bytes) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]),
  "huge field": (bytes, rng) => {
    const text = utf8.decode(bytes);
    const at = pickInt(rng, text.length);
    return encoder.encode(`${text.slice(0, at)}${"x".repeat(200_000 + pickInt(rng, 300_000))}${text.slice(at)}`);
  },
  "stray quotes": (bytes, rng) => {
    let text = utf8.decode(bytes);
    for (let i = 0; i < 1 + pickInt(rng, 4); i += 1) {
      const at = pickInt(rng, text.length);
      text = `${text.slice(0, at)}${['"', "'", "{", "}", "\\"][pickInt(rng, 5)]}${text.slice(at)}`;
    }
    return encoder.encode(text);
  },
  "NUL bytes": (bytes, rng) => {
    const out = Array.from(bytes);
    for (let i = 0; i < 1 + pickInt(rng, 5); i += 1) out.splice(pickInt(rng, out.length + 1), 0, 0);
    return Uint8Array.from(out);
  },
  "garbage line": (bytes, rng) =>
    encoder.encode(mutateLines(utf8.decode(bytes), rng, (lines, at) => lines.splice(at, 0, Array.from({ length: 1 + pickInt(rng, 80) }, () => String.fromCharCode(1 + pickInt(rng, 0x2ff))).join("")))),
  "CRLF line ends": (bytes) => encoder.encode(utf8.decode(bytes).replace(/\r?\n/g, "\r\n")),
  "empty file": () => new Uint8Array(),
  "only whitespace": () => encoder.encode(" \n\n\t\n"),
};

export type FuzzTally = {
  importer: string;
  files: number;
  accepted: number;
  rejected: number;
  rejectedWithLine: number;
  /** Problems: crashes, partial writes, wrong counts, rejections without a reason or a line. */
  failures: string[];
};

/**
 * Runs `files` files per importer (one in six a valid seed, the rest mutations, some mutated twice) and checks
 * every verdict against the row counts before and after.
 */
export async function fuzzImporters(
  db: Database,
  admin: Actor,
  options: {
    files: number;
    seed: number;
    onFile?: (importer: string, index: number) => void;
    /** Each importer's tally as soon as it is done (a long run stopped early still reports the finished ones). */
    onImporterDone?: (tally: FuzzTally) => void;
    /** Only importers whose name contains one of these (case-insensitive); all when absent. */
    only?: readonly string[];
  },
): Promise<FuzzTally[]> {
  const rng = createRng(options.seed);
  const tallies: FuzzTally[] = [];
  const mutationNames = Object.keys(MUTATIONS);
  let serial = 0;
  for (const target of await importerTargets(db, admin)) {
    if (options.only && !options.only.some((name) => target.name.toLowerCase().includes(name.toLowerCase()))) continue;
    const tally: FuzzTally = { importer: target.name, files: 0, accepted: 0, rejected: 0, rejectedWithLine: 0, failures: [] };
    for (let i = 0; i < options.files; i += 1) {
      serial += 1;
      const unique = `z${options.seed.toString(36)}${serial.toString(36)}`;
      const seed = target.seeds[pickInt(rng, target.seeds.length)]!;
      let bytes: Uint8Array = encoder.encode(target.freshen(seed, unique));
      const applied: string[] = [];
      if (i % 6 !== 0) {
        for (let round = 0; round < (rng() < 0.25 ? 2 : 1); round += 1) {
          const name = mutationNames[pickInt(rng, mutationNames.length)]!;
          bytes = MUTATIONS[name]!(bytes, rng);
          applied.push(name);
        }
      }
      const label = `${target.name} file ${i} (${applied.join(" + ") || "valid"})`;
      options.onFile?.(target.name, i);
      const before = await target.count(db);
      const verdict = await target.run(db, bytes, `fuzz-${i}.txt`);
      const after = await target.count(db);
      tally.files += 1;
      if (verdict.kind === "crash") tally.failures.push(`${label}: crashed: ${verdict.error}`);
      else if (verdict.kind === "accepted") {
        tally.accepted += 1;
        if (after - before !== verdict.rows) tally.failures.push(`${label}: accepted ${verdict.rows} rows but ${after - before} were written`);
      } else {
        tally.rejected += 1;
        if (verdict.location !== null) tally.rejectedWithLine += 1;
        if (after !== before) tally.failures.push(`${label}: rejected but ${after - before} rows were written`);
        if (!verdict.reason.trim()) tally.failures.push(`${label}: rejected without a reason`);
        else if (verdict.location === null && !FILE_LEVEL.test(verdict.reason)) tally.failures.push(`${label}: rejected without a line/row: ${verdict.reason.slice(0, 200)}`);
      }
    }
    tallies.push(tally);
    options.onImporterDone?.(tally);
  }
  return tallies;
}
