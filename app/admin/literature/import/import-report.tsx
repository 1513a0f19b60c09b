import type { PaperImportOutcome, StoredImportReport } from "@/lib/db/papers";

/** The report of one import: counts, rejected entries with their reasons, merged duplicates, warnings. */
export function ImportReportView({ outcome }: { outcome: PaperImportOutcome }) {
  if (!outcome.ok) {
    return (
      <div className="notice error" role="alert">
        <p>
          <strong>Nothing was imported.</strong> {outcome.format ? `The ${outcome.format} file` : "The file"} has problems:
        </p>
        <ul>{outcome.errors.map((error) => <li key={error}>{error}</li>)}</ul>
      </div>
    );
  }
  return (
    <div className="notice success" role="status">
      <ReportDetails report={outcome.report} />
    </div>
  );
}

export function ReportDetails({ report }: { report: StoredImportReport }) {
  const { counts } = report;
  return (
    <>
      <p>
        <strong>
          Imported {counts.new} new paper{counts.new === 1 ? "" : "s"}
        </strong>{" "}
        of {counts.entriesFound} entries: {counts.rejected} rejected, {counts.mergedDuplicates} duplicate(s) merged within the file,{" "}
        {counts.alreadyInStudy} already in the study{counts.updatedExisting > 0 ? ` (${counts.updatedExisting} of them gained missing fields)` : ""}.
        Population now {report.population.members} ({report.population.strata.map((stratum) => `${stratum.label}: ${stratum.size}`).join("; ")}), {report.population.excluded} excluded.
      </p>
      {report.rejected.length > 0 ? (
        <details open>
          <summary>Rejected entries ({report.rejected.length})</summary>
          <ul>
            {report.rejected.slice(0, 200).map((entry, index) => (
              <li key={index}>
                {entry.location}
                {entry.key ? ` (${entry.key})` : ""}: {entry.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.merges.length > 0 ? (
        <details>
          <summary>Merged duplicates ({report.merges.length})</summary>
          <ul>
            {report.merges.slice(0, 200).map((merge, index) => (
              <li key={index}>
                “{merge.kept.title}” ({merge.kept.location}) ← {merge.merged.map((item) => item.location).join(", ")}: {merge.reasons.join("; ")}
                {merge.filledFields.length > 0 ? `; filled ${merge.filledFields.join(", ")}` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.possibleDuplicates.length > 0 ? (
        <details>
          <summary>Possible duplicates kept apart ({report.possibleDuplicates.length})</summary>
          <ul>
            {report.possibleDuplicates.map((item, index) => (
              <li key={index}>
                “{item.first}” and “{item.second}”: {item.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {report.warnings.length > 0 ? (
        <details>
          <summary>Warnings ({report.warnings.length})</summary>
          <ul>
            {report.warnings.slice(0, 200).map((warning, index) => (
              <li key={index}>
                {warning.location}: {warning.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
