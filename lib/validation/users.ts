import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/passwords";
import { plainIssueMessage } from "./plain-messages";

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address, like name@example.org.");
const name = z.string().trim().min(1, "Enter a name.").max(120, "Keep the name under 120 characters.");
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, "Keep the password under 200 characters.");
const checkbox = z.union([z.literal("on"), z.literal("true"), z.literal("")]).optional().transform((v) => v === "on" || v === "true");

export const roleSchema = z.enum(["ADMIN", "ANNOTATOR"], { message: "Choose a role." });

export const firstAdminSchema = z
  .object({ email, name, password, confirmPassword: z.string() })
  .refine((value) => value.password === value.confirmPassword, { path: ["confirmPassword"], message: "The two passwords differ." });
export type FirstAdminInput = z.infer<typeof firstAdminSchema>;

export const createUserSchema = z.object({ email, name, password, role: roleSchema, canAdjudicate: checkbox });
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserAccessSchema = z.object({
  userId: z.string().min(1),
  role: roleSchema,
  canAdjudicate: checkbox,
});
export type UpdateUserAccessInput = z.infer<typeof updateUserAccessSchema>;

export const setUserActiveSchema = z.object({ userId: z.string().min(1), isActive: z.enum(["true", "false"]).transform((v) => v === "true") });

export const signInSchema = z.object({ email, password: z.string().min(1, "Enter your password.").max(200) });

/** Flattens zod issues to one message per top-level field, for forms. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= plainIssueMessage(issue);
  }
  return out;
}
