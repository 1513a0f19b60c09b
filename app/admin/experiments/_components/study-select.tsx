import { SelectField } from "@/app/_components/form-field";

type StudyChoice = { slug: string; name: string };

/** The study experiment results go into: a required choice (preselected only when it is already clear). */
export function StudySelect({ id, studies, selected }: { id: string; studies: StudyChoice[]; selected?: string }) {
  const initial = selected ?? (studies.length === 1 ? studies[0]!.slug : "");
  return (
    <SelectField id={id} name="study" label="Study the results belong to" defaultValue={initial} required>
      {studies.length === 1 ? null : <option value="">Choose a study…</option>}
      <StudyOptions studies={studies} />
    </SelectField>
  );
}

/** One option per study, by slug. */
export function StudyOptions({ studies }: { studies: StudyChoice[] }) {
  return studies.map((study) => (
    <option key={study.slug} value={study.slug}>
      {study.name}
    </option>
  ));
}
