import { ExportButtons } from "./export-buttons";

/**
 * "R and SPSS ready": the CSV both scripts read (a background export, like the other files with responses), and the
 * two scripts, which read only the codebook and so download at once; names match so they work side by side.
 */
export function StatisticsDownloads({ questionnaireId, api }: { questionnaireId: string; api: string }) {
  return (
    <>
      <h3>R and SPSS ready</h3>
      <p className="muted small">
        Save the three files in one folder. The R script and the SPSS syntax load the CSV with every question as a variable label and every
        coded answer as a value label (R factors), taken from the codebook. Empty cells are missing values.
      </p>
      <div className="button-row">
        <ExportButtons questionnaireId={questionnaireId} choices={[{ label: "Data CSV (with unfinished)", format: "r-data", partial: true }]} />
        <a className="button secondary" href={`${api}/export?format=r-script&partial=1`}>
          R script (.R)
        </a>
        <a className="button secondary" href={`${api}/export?format=spss&partial=1`}>
          SPSS syntax (.sps)
        </a>
      </div>
    </>
  );
}
