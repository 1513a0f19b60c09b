import { DataTable } from "@/app/_components/data-table";
import type { AgreementReport, Coefficient } from "@/lib/coding/agreement";
import { pct } from "./shares";

const three = (value: number) => value.toFixed(3);

/** A row of the agreement table; `undefined` leaves a cell empty (the coefficient does not apply to the row). */
type AgreementRow = { id: string; label: string; percent: Coefficient | null; kappa?: Coefficient | null; alpha?: Coefficient | null };

/** A coefficient with its n and interval; "—" when there is none, "undefined" with the reason when it cannot be computed. */
function CoefficientValue({ value, asPercent = false }: { value: Coefficient | null | undefined; asPercent?: boolean }) {
  if (value === undefined) return null;
  if (!value) return "—";
  if (value.value === null)
    return (
      <span title={value.reason}>
        undefined (n = {value.n}) <span className="sr-only">{value.reason}</span>
      </span>
    );
  const format = asPercent ? pct : three;
  return (
    <>
      {format(value.value)} <span className="muted">n = {value.n}</span>
      <br />
      {value.interval ? (
        <span className="muted">
          {Math.round(value.interval.level * 100)}% [{format(value.interval.lower)}, {format(value.interval.upper)}]
        </span>
      ) : (
        <span className="muted">{value.note ?? "no interval"}</span>
      )}
    </>
  );
}

/** A missing or undefined coefficient is a muted word. */
const coefficientClass = (value: Coefficient | null | undefined) => (value === null || value?.value === null ? "muted" : undefined);

/** Agreement of one round, per question and overall: percent agreement, Cohen's or Fleiss' kappa, Krippendorff's alpha. */
export function AgreementTable({ title, report, questionText }: { title: string; report: AgreementReport; questionText: (id: string) => string }) {
  const id = title.toLowerCase().replace(/\W+/g, "-");
  const fleiss = report.coderIds.length > 2;
  const rows: AgreementRow[] = [
    ...report.questions.map((question) => ({
      id: question.questionId,
      label: questionText(question.questionId),
      percent: question.percentAgreement,
      kappa: fleiss ? question.fleissKappa : question.cohenKappa,
      alpha: question.krippendorffAlpha,
    })),
    { id: "_overall", label: "Overall (all questions)", percent: report.overall.percentAgreement, kappa: null, alpha: report.overall.krippendorffAlpha },
    { id: "_papers", label: "Papers without any disagreement", percent: report.overall.papersWithoutConflict },
  ];
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>
        {title}: {report.papers} paper(s) coded by {report.coderIds.length} coders
      </h3>
      <DataTable
        rows={rows}
        rowKey={(row) => row.id}
        columns={[
          { label: "Question", rowHeader: true, cell: (row) => row.label },
          { label: "Percent agreement", numeric: true, className: (row) => coefficientClass(row.percent), cell: (row) => <CoefficientValue value={row.percent} asPercent /> },
          { label: fleiss ? "Fleiss' kappa" : "Cohen's kappa", numeric: true, className: (row) => coefficientClass(row.kappa), cell: (row) => <CoefficientValue value={row.kappa} /> },
          { label: "Krippendorff's alpha", numeric: true, className: (row) => coefficientClass(row.alpha), cell: (row) => <CoefficientValue value={row.alpha} /> },
        ]}
      />
    </section>
  );
}
