import type { z } from "zod";

/**
 * Reads `--name value` options and `--flag` switches into the input of a zod schema and validates it.
 * Names are kebab-case on the command line and camelCase in the schema (`--think-ms 500` → `thinkMs: "500"`),
 * so the schema coerces and defaults; an unknown or valueless option is an error that points at --help.
 */
export function parseCliOptions<Schema extends z.ZodType>(
  argv: readonly string[],
  schema: Schema,
  names: { valued: readonly string[]; flags?: readonly string[] },
): z.output<Schema> {
  const camel = (name: string) => name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const name = arg.startsWith("--") ? arg.slice(2) : "";
    if (names.flags?.includes(name)) raw[camel(name)] = true;
    else if (names.valued.includes(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value (see --help).`);
      raw[camel(name)] = value;
      i += 1;
    } else throw new Error(`unknown argument "${arg}" (see --help).`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
