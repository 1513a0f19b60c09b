import type { ReactNode } from "react";
import "./questionnaires.css";
import "../../s/survey.css";

/** Questionnaire admin pages; the participant styles are loaded too for the live preview. */
export default function QuestionnairesLayout({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
