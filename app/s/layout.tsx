import type { ReactNode } from "react";
import "./survey.css";

/** Participant pages share the site's shell and add the questionnaire styles. */
export default function SurveyLayout({ children }: { children: ReactNode }) {
  return <div className="survey-shell">{children}</div>;
}
