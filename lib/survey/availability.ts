/** Why a questionnaire does not accept a new participant now, in words for the participant. */
export function availabilityProblem(
  questionnaire: { status: string; opensAt: Date | null; closesAt: Date | null; maxResponses: number | null; currentVersionId: string | null },
  completed: number,
  now: Date,
): string | null {
  const date = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  if (!questionnaire.currentVersionId || questionnaire.status === "DRAFT") return "This questionnaire has not been published yet.";
  if (questionnaire.status === "CLOSED") return "This questionnaire is closed and no longer accepts answers. Thank you for your interest.";
  if (questionnaire.opensAt && now < questionnaire.opensAt) return `This questionnaire opens on ${date(questionnaire.opensAt)}. Please come back then.`;
  if (questionnaire.closesAt && now >= questionnaire.closesAt) return `This questionnaire closed on ${date(questionnaire.closesAt)}. Thank you for your interest.`;
  if (questionnaire.maxResponses !== null && completed >= questionnaire.maxResponses) {
    return "This questionnaire has received all the responses it needs and is now closed. Thank you for your interest.";
  }
  return null;
}
