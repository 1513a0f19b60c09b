import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "@/lib/validation/users";

const schema = z.object({
  count: z.coerce.number().int().min(2),
  name: z.string().min(1),
  code: z.string().min(3).max(5),
  kind: z.enum(["a", "b"]),
  hidden: z.string(),
  own: z.string().min(1, "Give the list a name."),
  tags: z.array(z.string()).min(1),
});

describe("plain-word field messages", () => {
  it("replaces zod's own wording and keeps messages a schema wrote itself", () => {
    const result = schema.safeParse({ count: "two", name: "", code: "x", kind: "c", own: "", tags: [] });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({
      count: "Enter a number.",
      name: "Fill this in.",
      code: "Use at least 3 characters.",
      kind: "Choose one of the offered options.",
      hidden: "This value is missing or not valid; reload the page and try again.",
      own: "Give the list a name.",
      tags: "Choose at least 1.",
    });
  });

  it("words number bounds and long text", () => {
    const result = schema.safeParse({ count: "1", name: "n", code: "toolong", kind: "a", hidden: "", own: "x", tags: ["t"] });
    expect(fieldErrorsOf(result.error!)).toEqual({ count: "Enter at least 2.", code: "Use at most 5 characters." });
  });
});
