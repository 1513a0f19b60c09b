import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatDataPath, parseDefinitionFile } from "@/lib/io/definition-file";

const schema = z.strictObject({
  id: z.string().min(1),
  version: z.number().int(),
  items: z.array(z.strictObject({ id: z.string(), points: z.number().int().min(2) })),
});

describe("parseDefinitionFile", () => {
  it("returns the typed value for a valid YAML file", () => {
    const result = parseDefinitionFile("id: q\nversion: 2\nitems:\n  - id: a\n    points: 5\n", schema);
    expect(result).toEqual({ ok: true, value: { id: "q", version: 2, items: [{ id: "a", points: 5 }] } });
  });

  it("points at the line and column of a wrong value", () => {
    const text = ["id: q", "version: 1", "items:", "  - id: a", "    points: 5", "  - id: b", "    points: 1", ""].join("\n");
    const result = parseDefinitionFile(text, schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 7, column: 13, path: "items[1].points" });
  });

  it("reports a missing field at the object that lacks it", () => {
    const text = "id: q\nversion: 1\nitems:\n  - id: a\n  - points: 3\n";
    const result = parseDefinitionFile(text, schema);
    if (result.ok) throw new Error("expected failure");
    const missing = result.errors.find((error) => error.path === "items[0].points");
    expect(missing).toMatchObject({ line: 4, column: 5, message: 'Missing required field "points".' });
    expect(result.errors.find((error) => error.path === "items[1].id")).toMatchObject({ line: 5 });
  });

  it("reports an unknown key at the key itself", () => {
    const result = parseDefinitionFile("id: q\nversion: 1\nitems: []\ncolour: red\n", schema);
    if (result.ok) throw new Error("expected failure");
    expect(result.errors).toEqual([{ line: 4, column: 1, path: "colour", message: 'Unknown field "colour".' }]);
  });

  it("sorts several errors by position", () => {
    const result = parseDefinitionFile("id: ''\nversion: 1.5\nitems: []\n", schema);
    if (result.ok) throw new Error("expected failure");
    expect(result.errors.map((error) => error.line)).toEqual([1, 2]);
  });

  it("reports YAML syntax errors with their position and does not validate", () => {
    const result = parseDefinitionFile("id: q\nversion: 1\nid: r\nitems: []\n", schema);
    if (result.ok) throw new Error("expected failure");
    expect(result.errors[0]?.line).toBe(3);
    expect(result.errors[0]?.message).toMatch(/Invalid YAML/);
  });

  it("locates errors inside JSON text", () => {
    const text = '{\n  "id": "q",\n  "version": 1,\n  "items": [\n    { "id": "a", "points": 0 }\n  ]\n}\n';
    const result = parseDefinitionFile(text, schema);
    if (result.ok) throw new Error("expected failure");
    expect(result.errors[0]).toMatchObject({ line: 5, column: 28, path: "items[0].points" });
  });

  it("rejects YAML-only syntax when the format is JSON", () => {
    const result = parseDefinitionFile("id: q\n", schema, { format: "json" });
    if (result.ok) throw new Error("expected failure");
    expect(result.errors[0]?.message).toMatch(/Invalid JSON/);
  });

  it("reports the position of a JSON syntax error", () => {
    const result = parseDefinitionFile('{\n  "id": "q",\n  "version": 1,\n}', schema, { format: "json" });
    if (result.ok) throw new Error("expected failure");
    expect(result.errors[0]?.line).toBe(4);
  });

  it("gives one clear error for an empty file and ignores a byte-order mark", () => {
    expect(parseDefinitionFile("  \n", schema)).toEqual({
      ok: false,
      errors: [{ line: 1, column: 1, path: "", message: "The file is empty." }],
    });
    expect(parseDefinitionFile("\uFEFFid: q\nversion: 1\nitems: []\n", schema).ok).toBe(true);
  });

  it("locates refinement errors that carry a custom path", () => {
    const refined = schema.superRefine((value, ctx) => {
      value.items.forEach((item, index) => {
        if (item.id === value.id) ctx.addIssue({ code: "custom", path: ["items", index, "id"], message: "Clashes with the document id." });
      });
    });
    const result = parseDefinitionFile("id: q\nversion: 1\nitems:\n  - id: x\n    points: 3\n  - id: q\n    points: 3\n", refined);
    if (result.ok) throw new Error("expected failure");
    expect(result.errors).toEqual([{ line: 6, column: 9, path: "items[1].id", message: "Clashes with the document id." }]);
  });

  it("resolves anchors and aliases", () => {
    const result = parseDefinitionFile("base: &b { id: a, points: 4 }\n", z.object({ base: z.object({ id: z.string() }) }));
    expect(result.ok).toBe(true);
  });
});

describe("formatDataPath", () => {
  it("joins keys with dots and indices with brackets", () => {
    expect(formatDataPath(["sections", 1, "questions", 0, "id"])).toBe("sections[1].questions[0].id");
    expect(formatDataPath(["a b"])).toBe('["a b"]');
    expect(formatDataPath([])).toBe("");
  });
});

describe("parseDefinitionFile format detection", () => {
  it("accepts a YAML flow mapping in auto mode but not when JSON is required", () => {
    const text = "{ id: q, version: 1, items: [] }";
    expect(parseDefinitionFile(text, schema).ok).toBe(true);
    expect(parseDefinitionFile(text, schema, { format: "json" }).ok).toBe(false);
  });
});
