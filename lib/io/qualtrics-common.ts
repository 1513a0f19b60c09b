/**
 * Small pieces shared by the two ways of building a questionnaire from Qualtrics material (the .qsf
 * survey file and the export's header rows): turning Qualtrics names and HTML texts into this
 * platform's ids and plain text, and the generic welcome/consent pages an imported study needs.
 */
import type { QuestionnaireDefinitionInput } from "@/lib/survey/definition";

/** Something that could not be carried over, said so the researcher can decide what to do. */
export type CarryOverNote = { where: string; message: string };

/** What both builders return: a definition to review and edit, and the list of what was left out. */
export type QualtricsConversion =
  | { ok: true; definition: QuestionnaireDefinitionInput; notes: CarryOverNote[] }
  | { ok: false; error: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** A Qualtrics export column name split into its question key, option code and "_TEXT" mark ("Q5_3_TEXT"). */
export type QualtricsName = { key: string; code?: number; isText: boolean };

/** Splits a column name of a Qualtrics export: "Q5_3_TEXT", "Q5_3", "Q5_TEXT" or just "Q5". */
export function parseQualtricsName(name: string): QualtricsName {
  const withCodeText = /^(.+?)_(\d+)_TEXT$/i.exec(name);
  if (withCodeText?.[1] && withCodeText[2]) return { key: withCodeText[1], code: Number(withCodeText[2]), isText: true };
  const withCode = /^(.+?)_(\d+)$/.exec(name);
  if (withCode?.[1] && withCode[2]) return { key: withCode[1], code: Number(withCode[2]), isText: false };
  const textOnly = /^(.+?)_TEXT$/i.exec(name);
  if (textOnly?.[1]) return { key: textOnly[1], isText: true };
  return { key: name, isText: false };
}

/** Qualtrics texts are HTML fragments; questions here are plain text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
      if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
      return ENTITIES[entity.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+/g, " ")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}

/**
 * A valid id (letter, then letters/digits/underscores, ≤ 64) from any name, unique within `taken`.
 * Keeps Qualtrics export tags such as "Q5" or "age_years" unchanged, so columns still match by id.
 */
export function toStableId(name: string, taken: Set<string>, fallback: string, maxLength = 40): string {
  let id = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, maxLength);
  if (id === "") id = fallback;
  if (!/^[A-Za-z]/.test(id)) id = `${fallback}${id}`.slice(0, maxLength);
  let unique = id;
  for (let n = 2; taken.has(unique.toLowerCase()); n++) unique = `${id}_${n}`;
  taken.add(unique.toLowerCase());
  return unique;
}

/** An option id readable in exports (`tools_pytorch`), from the option's label. */
export const optionIdFrom = (label: string, taken: Set<string>): string => toStableId(label.toLowerCase(), taken, "o", 30);

/** The pages every questionnaire has here but Qualtrics keeps elsewhere; edit them before publishing. */
export function importedFrame(id: string, title: string, language: string, source: string): Pick<QuestionnaireDefinitionInput, "id" | "title" | "version" | "language" | "welcome" | "consent"> {
  return {
    id,
    title,
    version: 1,
    language,
    welcome: { text: `This questionnaire was created from ${source}. Edit this welcome text before inviting anyone.`, originalWording: false },
    consent: { text: "Do you agree to take part in this survey?", agreeLabel: "I agree", declineLabel: "I do not agree", originalWording: false },
  };
}

/** Qualtrics language codes ("EN", "PT-BR", "ZH-S") as BCP 47 tags; unknown shapes fall back to "en". */
export function languageTag(code: unknown): string {
  if (typeof code !== "string") return "en";
  const [primary, ...rest] = code.trim().split(/[-_]/);
  if (!primary || !/^[A-Za-z]{2,3}$/.test(primary)) return "en";
  const region = rest.filter((part) => /^[A-Za-z0-9]{2,8}$/.test(part)).map((part) => part.toUpperCase());
  return [primary.toLowerCase(), ...region].join("-");
}
