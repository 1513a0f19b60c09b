import fs from "node:fs";
import path from "node:path";

/**
 * Finds every server action and route handler in app/ by reading the source, so the authorization matrix can
 * insist that each one has an entry: a new action or handler without one fails the test.
 */
export const ROOT = path.resolve(import.meta.dirname, "../../..");
const APP = path.join(ROOT, "app");

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|jsx|mjs)$/.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** Removes comments so a commented-out export or directive does not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Names exported by a module's source: functions, consts, and `export { a as B }` lists. */
export function exportedNames(source: string): string[] {
  const code = withoutComments(source);
  const names = new Set<string>();
  for (const match of code.matchAll(/export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/g)) names.add(match[1]!);
  for (const match of code.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]!);
  for (const match of code.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  if (/export\s+default\b/.test(code)) names.add("default");
  return [...names];
}

/** A file whose first statement is the "use server" directive: every export is a server action. */
function isServerActionModule(source: string): boolean {
  return /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["']/.test(source);
}

export type Discovered = { actions: string[]; handlers: string[]; inlineActionFiles: string[] };

/**
 * `file#export` for every server action (every export of a "use server" module; type-only exports are not
 * values and are skipped) and `file#METHOD` for every route handler. Files with an inline "use server"
 * (inside a function) are listed separately: their actions cannot be enumerated from exports.
 */
export function discoverEndpoints(): Discovered {
  const actions: string[] = [];
  const handlers: string[] = [];
  const inlineActionFiles: string[] = [];
  for (const file of sourceFiles(APP)) {
    const source = fs.readFileSync(file, "utf8");
    const code = withoutComments(source);
    if (isServerActionModule(source)) {
      for (const name of exportedNames(source)) actions.push(`${relative(file)}#${name}`);
    } else if (/["']use server["']/.test(code)) {
      inlineActionFiles.push(relative(file));
    }
    if (/^route\.(ts|tsx|js|mjs)$/.test(path.basename(file))) {
      for (const name of exportedNames(source)) if ((HTTP_METHODS as readonly string[]).includes(name)) handlers.push(`${relative(file)}#${name}`);
    }
  }
  return { actions: actions.sort(), handlers: handlers.sort(), inlineActionFiles };
}
