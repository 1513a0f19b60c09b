/** The study experiment results go into: a required choice (preselected only when it is already clear). */
export function StudySelect({ id, studies, selected }: { id: string; studies: { slug: string; name: string }[]; selected?: string }) {
  const initial = selected ?? (studies.length === 1 ? studies[0]!.slug : "");
  return (
    <div className="field">
      <label htmlFor={id}>Study the results belong to</label>
      <select id={id} name="study" defaultValue={initial} required>
        {studies.length === 1 ? null : <option value="">Choose a study…</option>}
        {studies.map((study) => (
          <option key={study.slug} value={study.slug}>
            {study.name}
          </option>
        ))}
      </select>
    </div>
  );
}
