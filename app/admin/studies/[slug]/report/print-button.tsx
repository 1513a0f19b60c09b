"use client";

/** Opens the browser's print dialog, where "Save as PDF" produces the document. */
export function PrintButton() {
  return (
    <button type="button" className="secondary" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}
