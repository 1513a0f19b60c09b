export type StudyOption = { id: string; name: string; slug: string };

/** The choices of a questionnaire's study, by id, after an empty "(choose a study)". */
export function StudyOptions({ studies }: { studies: StudyOption[] }) {
  return (
    <>
      <option value="">(choose a study)</option>
      {studies.map((study) => (
        <option key={study.id} value={study.id}>
          {study.name} ({study.slug})
        </option>
      ))}
    </>
  );
}
