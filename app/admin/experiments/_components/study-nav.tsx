import Link from "next/link";
import type { listExperimentStudies } from "@/lib/db/experiment-studies";

type ExperimentStudy = Awaited<ReturnType<typeof listExperimentStudies>>[number];

/** Which study's sets the page shows, and links to the others (each with its number of sets). */
export function StudyNav({ studies, current }: { studies: ExperimentStudy[]; current: ExperimentStudy | undefined }) {
  return (
    <nav aria-label="Studies" className="no-print">
      <p>
        {current ? (
          <>
            Study: <strong>{current.name}</strong>
            {studies.length > 1 ? " · other studies: " : ""}
          </>
        ) : (
          "Choose a study: "
        )}
        {studies
          .filter((study) => study.id !== current?.id)
          .map((study, index) => (
            <span key={study.slug}>
              {index > 0 ? " · " : ""}
              <Link href={`/admin/experiments?study=${encodeURIComponent(study.slug)}`}>
                {study.name} ({study.sets} set{study.sets === 1 ? "" : "s"})
              </Link>
            </span>
          ))}
      </p>
    </nav>
  );
}
