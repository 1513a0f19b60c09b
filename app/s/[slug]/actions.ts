"use server";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDatabase } from "@/lib/db";
import { recordDecline, savePage, startResponse } from "@/lib/db/responses";
import { failureMessage } from "@/lib/action-result";
import type { ActionFailure } from "@/lib/errors";
import { formDataToFields, type FormFields } from "@/lib/survey/answers";
import { stableIdSchema } from "@/lib/survey/definition";
import { checkParticipantLimit } from "../participant-limits";
import { BROWSER_KEY_COOKIE, browserKeyCookie, cookieSecurity, newBrowserKey, resumeCookie, resumeCookieName } from "../participant-cookies";

/** A participant's action succeeds by redirecting to the next page, so only its failures come back as values. */
export type ConsentState = ActionFailure | null;
export type PageState = (ActionFailure & { fields?: FormFields }) | null;

const consentSchema = z.object({
  slug: stableIdSchema,
  choice: z.enum(["agree", "decline"]),
  t: z.string().max(100).optional().default(""),
});

const refused = (error: string): ActionFailure => ({ ok: false, error });
const failed = (error: unknown): ActionFailure => refused(failureMessage("participant action", error));

/** Welcome page: agree (start or resume a response) or decline (only a count is kept). */
export async function consentAction(_previous: ConsentState, form: FormData): Promise<ConsentState> {
  const parsed = consentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return refused("Please choose whether you want to take part.");
  const { slug, choice, t } = parsed.data;
  const limit = checkParticipantLimit("start", await headers());
  if (!limit.ok) return refused(limit.message);
  const db = await getDatabase();
  if (choice === "decline") {
    try {
      await recordDecline(db, { slug });
    } catch (error) {
      return failed(error);
    }
    redirect(`/s/${slug}/declined`);
  }
  const jar = await cookies();
  const secure = await cookieSecurity();
  let browserKey = jar.get(BROWSER_KEY_COOKIE)?.value;
  if (!browserKey) {
    browserKey = newBrowserKey();
    jar.set(browserKeyCookie(browserKey, secure));
  }
  try {
    const started = await startResponse(db, { slug, browserKey, invitationToken: t || null });
    jar.set(resumeCookie(slug, started.resumeToken, secure));
  } catch (error) {
    return failed(error);
  }
  redirect(`/s/${slug}`);
}

const pageSchema = z.object({ _slug: stableIdSchema, _section: stableIdSchema, _nav: z.enum(["next", "back"]).default("next") });

/** "Next" saves the page and moves on; "Back" keeps the valid answers and goes one page back. */
export async function savePageAction(_previous: PageState, form: FormData): Promise<PageState> {
  const fields = formDataToFields([...form.entries()].filter(([name]) => name.startsWith("q.")));
  const meta = pageSchema.safeParse({ _slug: form.get("_slug"), _section: form.get("_section"), _nav: form.get("_nav") ?? undefined });
  // The answers typed so far go back to the form even when the page's own fields were damaged.
  if (!meta.success) return { ...refused("This page could not be read. Please reload it."), fields };
  const { _slug: slug, _section: sectionId, _nav: direction } = meta.data;
  const limit = checkParticipantLimit("page", await headers());
  if (!limit.ok) return { ...refused(limit.message), fields };
  const token = (await cookies()).get(resumeCookieName(slug))?.value;
  try {
    const result = await savePage(await getDatabase(), { slug, resumeToken: token, sectionId, fields, direction });
    if (!result.ok) return { ...refused("Some answers need your attention."), fieldErrors: result.fieldErrors, fields: result.fields };
  } catch (error) {
    return { ...failed(error), fields };
  }
  redirect(`/s/${slug}`);
}
