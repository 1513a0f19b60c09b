import type { z } from "zod";

/**
 * Zod's own messages ("Invalid input: expected number, received NaN", "Too small: expected string to have >=1
 * characters") reach people when a schema gives no message of its own. This puts them in plain words; messages
 * a schema wrote itself are kept as they are.
 */
const LIBRARY_MESSAGE = /^(Invalid (input|option|string|number|key|element|value|date)|Too (small|big)|Unrecognized key)/;

type Issue = z.core.$ZodIssue;

export function plainIssueMessage(issue: Issue): string {
  if (!LIBRARY_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "number" || issue.expected === "int") return "Enter a number.";
      return "This value is missing or not valid; reload the page and try again.";
    case "invalid_value":
      return "Choose one of the offered options.";
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string") return min <= 1 ? "Fill this in." : `Use at least ${min} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at least ${min}.`;
      return `Enter ${issue.inclusive === false ? "more than" : "at least"} ${min}.`;
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string") return `Use at most ${max} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at most ${max}.`;
      return `Enter ${issue.inclusive === false ? "less than" : "at most"} ${max}.`;
    }
    case "not_multiple_of":
      return "Enter a whole number.";
    case "invalid_format":
      return "This is not in the right form.";
    default:
      return "This value is not valid.";
  }
}
