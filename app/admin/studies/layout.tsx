import "./dashboard.css";

/** The dashboard pages share one stylesheet (charts, headline figures, print layout). */
export default function StudiesLayout({ children }: { children: React.ReactNode }) {
  return children;
}
