import Link from "next/link";

const SECTIONS = [
  { href: "/admin/literature", label: "Overview" },
  { href: "/admin/literature/import", label: "Import papers" },
  { href: "/admin/literature/population", label: "Population and strata" },
  { href: "/admin/literature/sample", label: "Sample and coders" },
  { href: "/admin/literature/results", label: "Agreement and results" },
];

/** The literature survey's steps, in the order a study goes through them. */
export function LiteratureNav({ current, studySlug }: { current: string; studySlug?: string }) {
  const query = studySlug ? `?study=${encodeURIComponent(studySlug)}` : "";
  return (
    <nav aria-label="Literature survey steps" className="no-print">
      <ol style={{ display: "flex", flexWrap: "wrap", gap: "0.25rem 1.5rem", listStyle: "none", padding: 0, margin: "0 0 1rem" }}>
        {SECTIONS.map((section, index) => (
          <li key={section.href}>
            <span aria-hidden="true">{index + 1}. </span>
            <Link href={`${section.href}${query}`} aria-current={section.href === current ? "page" : undefined} style={section.href === current ? { fontWeight: 700 } : undefined}>
              {section.label}
            </Link>
          </li>
        ))}
        <li>
          <span aria-hidden="true">{SECTIONS.length + 1}. </span>
          <Link href="/code/adjudicate">Conflicts</Link>
        </li>
      </ol>
    </nav>
  );
}
