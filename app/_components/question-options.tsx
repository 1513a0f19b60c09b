/**
 * The choices of a question picker: an empty "(choose a question)", then each question as its id and the start of
 * its text (`textLength` characters, to keep the select narrow).
 */
export function QuestionOptions({ questions, textLength }: { questions: { id: string; text: string }[]; textLength: number }) {
  return (
    <>
      <option value="">(choose a question)</option>
      {questions.map((item) => (
        <option key={item.id} value={item.id}>
          {item.id}: {item.text.slice(0, textLength)}
        </option>
      ))}
    </>
  );
}
