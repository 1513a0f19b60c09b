/**
 * Reads a definition file (questionnaire, codebook, preset …) written in YAML or JSON and validates it
 * with a zod schema, reporting every problem at the line and column of the offending node in the
 * source text. Admins edit these files in a browser editor and researchers keep them under data/, so an
 * error has to say where to look, not only what is wrong.
 *
 * Pure: text in, result out. JSON is parsed by the same YAML parser (JSON is a subset of YAML 1.2) so
 * that positions come from one place; a strict JSON.parse pass runs first when the caller says the
 * format is "json" (e.g. for a .json file) so that YAML-only syntax is not silently accepted there.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import type { z } from "zod";
import { findUnstorable, unstorableMessage, type UnstorableCharacter } from "@/lib/validation/limits";

/**
 * Source syntax of a definition file. "auto" accepts YAML and JSON alike and only uses the guess
 * (text starting with `{` or `[` looks like JSON) to word syntax errors.
 */
export type DefinitionFileFormat = "yaml" | "json" | "auto";

/** One problem, located in the source text. line and column are 1-based, as editors show them. */
export type DefinitionFileError = {
  line: number;
  column: number;
  /** Dotted path into the data, e.g. `sections[1].questions[0].id`; "" for the whole document. */
  path: string;
  message: string;
};

export type DefinitionFileResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: DefinitionFileError[] };

export type ParseDefinitionFileOptions = {
  /** Default "auto". */
  format?: DefinitionFileFormat;
};

/** Path segments as zod reports them; symbols never occur in parsed YAML/JSON data. */
type DataPath = readonly PropertyKey[];

/**
 * Formats a data path the way a person reads it: object keys joined with dots, array indices in
 * brackets (`sections[1].questions[0].id`). Keys that are not plain identifiers are quoted.
 * @param path segments as zod or this module produce them; empty → "".
 */
export function formatDataPath(path: DataPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

const detectFormat = (text: string, format: DefinitionFileFormat): "yaml" | "json" => {
  if (format !== "auto") return format;
  const first = text.trimStart()[0];
  return first === "{" || first === "[" ? "json" : "yaml";
};

/**
 * Finds the YAML node at a data path, or the deepest existing ancestor when the path does not exist
 * (a missing required key is reported at the object that should contain it).
 */
const locateNode = (
  doc: Document.Parsed,
  path: DataPath,
): { node: YamlNode | null; keyNode: YamlNode | null; complete: boolean } => {
  let node: unknown = doc.contents;
  let keyNode: YamlNode | null = null;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return { node: node as YamlNode, keyNode, complete: false };
      keyNode = isScalar(pair.key) ? pair.key : null;
      // `key:` with nothing after it has a null value node; the key is then the best anchor.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) return { node: node as YamlNode, keyNode, complete: false };
      keyNode = null;
      node = item;
    } else {
      return { node: (node as YamlNode | null) ?? null, keyNode, complete: false };
    }
  }
  return { node: (node as YamlNode | null) ?? null, keyNode, complete: true };
};

const offsetOf = (node: YamlNode | null): number => node?.range?.[0] ?? 0;

/** Extracts a character offset from a JSON.parse error message (Node ≥ 20 formats vary). */
const jsonErrorOffset = (message: string, text: string): number => {
  const byPosition = /position (\d+)/.exec(message);
  if (byPosition?.[1]) return Number(byPosition[1]);
  const byLine = /line (\d+) column (\d+)/.exec(message);
  if (byLine?.[1] && byLine[2]) {
    const lines = text.split("\n");
    let offset = 0;
    for (let i = 0; i < Number(byLine[1]) - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    return offset + Number(byLine[2]) - 1;
  }
  // "Unexpected end of JSON input" carries no position: the end of the text is where it is.
  return text.length;
};

/**
 * Parses YAML or JSON text and validates it against a zod schema.
 *
 * Every error carries a 1-based line/column pointing at the node zod complained about; for a missing
 * key that is the object that lacks it, for an unknown key (strict objects) the key itself. Syntax
 * errors (bad indentation, duplicate keys, unclosed brackets) are reported before validation and stop
 * it. A leading byte-order mark is ignored. Never throws for bad input; refinements in the schema that
 * throw are programming errors and propagate.
 *
 * @param text the file contents.
 * @param schema any zod schema; its output type becomes the value type.
 * @param options.format "yaml", "json" or "auto" (default; `{`/`[` first → JSON).
 * @returns `{ ok: true, value }` with the parsed (and transformed) value, or `{ ok: false, errors }`
 *   sorted by position. An empty file gives one error at line 1, column 1.
 */
export function parseDefinitionFile<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
  options: ParseDefinitionFileOptions = {},
): DefinitionFileResult<z.output<Schema>> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const at = (offset: number, path: DataPath, message: string): DefinitionFileError => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, path: formatDataPath(path), message };
  };

  if (source.trim() === "") {
    return { ok: false, errors: [{ line: 1, column: 1, path: "", message: "The file is empty." }] };
  }

  const format = detectFormat(source, options.format ?? "auto");
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });

  // Strict JSON only when asked for: in "auto" mode a YAML flow mapping (`{ id: q }`) is legitimate.
  if (options.format === "json") {
    try {
      JSON.parse(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, errors: [at(jsonErrorOffset(message, source), [], `Invalid JSON: ${message}`)] };
    }
  }

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => at(error.pos[0], [], `Invalid ${format === "json" ? "JSON" : "YAML"}: ${firstLine(error.message)}`)),
    };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Alias bombs and unresolved aliases surface here rather than in doc.errors.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [at(0, [], `Invalid YAML: ${firstLine(message)}`)] };
  }

  // Escapes such as "\0" or "\ud800" decode to text PostgreSQL cannot store; say where, before any write fails.
  const unstorable = findUnstorableAt(data, []);
  if (unstorable) {
    const { node, keyNode } = locateNode(doc, unstorable.path);
    return { ok: false, errors: [at(offsetOf(node ?? keyNode), unstorable.path, unstorableMessage(unstorable.found, "This text"))] };
  }

  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data as z.output<Schema> };

  const errors = parsed.error.issues.flatMap((issue): DefinitionFileError[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const { keyNode, node, complete } = locateNode(doc, [...issue.path, key]);
        return at(offsetOf(complete ? keyNode ?? node : node), [...issue.path, key], `Unknown field "${key}".`);
      });
    }
    const { node, keyNode, complete } = locateNode(doc, issue.path);
    // When the path does not exist, node is its deepest existing ancestor: the object lacking the key.
    const message = !complete && issue.code === "invalid_type" ? missingFieldMessage(issue.path) : issue.message;
    return [at(offsetOf(node ?? keyNode), issue.path, message)];
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

/** The data path of the first string or key holding a character PostgreSQL cannot store. */
function findUnstorableAt(value: unknown, path: DataPath): { path: DataPath; found: UnstorableCharacter } | null {
  if (typeof value === "string") {
    const found = findUnstorable(value);
    return found ? { path, found } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findUnstorableAt(value[i], [...path, i]);
      if (hit) return hit;
    }
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const inKey = findUnstorable(key);
      if (inKey) return { path: [...path, key], found: inKey };
      const hit = findUnstorableAt(item, [...path, key]);
      if (hit) return hit;
    }
  }
  return null;
}

const firstLine = (message: string): string => message.split("\n")[0] ?? message;

const missingFieldMessage = (path: DataPath): string => {
  const last = path[path.length - 1];
  return last === undefined ? "A value is required." : `Missing required field "${String(last)}".`;
};
