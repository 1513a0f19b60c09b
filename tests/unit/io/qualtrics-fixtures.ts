/**
 * A small Qualtrics study made in code, as Qualtrics writes it: a .qsf survey file (single and multiple
 * choice, a Likert matrix, text entry, a number, a slider and descriptive text that cannot be carried over,
 * display logic) and a choice-text CSV export with three header rows, the time zone in the import-id row,
 * unfinished, preview and (optionally) duplicate rows, and (optionally) a renamed column.
 */
import Papa from "papaparse";

const question = (qid: string, payload: Record<string, unknown>) => ({ SurveyID: "SV_test", Element: "SQ", PrimaryAttribute: qid, SecondaryAttribute: "", TertiaryAttribute: null, Payload: { QuestionID: qid, ...payload } });

export function makeQsf(): string {
  return JSON.stringify({
    SurveyEntry: { SurveyID: "SV_test", SurveyName: "Training variance practice", SurveyLanguage: "EN", SurveyStatus: "Active" },
    SurveyElements: [
      {
        SurveyID: "SV_test",
        Element: "BL",
        PrimaryAttribute: "Survey Blocks",
        Payload: {
          "0": {
            Type: "Default",
            Description: "About you",
            ID: "BL_1",
            BlockElements: [{ Type: "Question", QuestionID: "QID1" }, { Type: "Page Break" }, { Type: "Question", QuestionID: "QID2" }, { Type: "Question", QuestionID: "QID7" }],
          },
          "1": {
            Type: "Standard",
            Description: "Practice",
            ID: "BL_2",
            BlockElements: [{ Type: "Question", QuestionID: "QID3" }, { Type: "Question", QuestionID: "QID4" }, { Type: "Question", QuestionID: "QID5" }, { Type: "Question", QuestionID: "QID6" }],
          },
          "2": { Type: "Trash", Description: "Trash / Unused Questions", ID: "BL_3", BlockElements: [] },
        },
      },
      {
        SurveyID: "SV_test",
        Element: "FL",
        PrimaryAttribute: "Survey Flow",
        Payload: { Type: "Root", FlowID: "FL_1", Flow: [{ Type: "EmbeddedData", FlowID: "FL_4", EmbeddedData: [] }, { Type: "Block", ID: "BL_1", FlowID: "FL_2" }, { Type: "Standard", ID: "BL_2", FlowID: "FL_3" }] },
      },
      question("QID1", {
        QuestionText: "What is your <b>role</b>?",
        DataExportTag: "Q1",
        QuestionType: "MC",
        Selector: "SAVR",
        SubSelector: "TX",
        Choices: { "1": { Display: "Student" }, "2": { Display: "Engineer" }, "3": { Display: "Researcher" }, "4": { Display: "Other", TextEntry: "true" } },
        ChoiceOrder: ["1", "2", "3", "4"],
        Validation: { Settings: { ForceResponse: "ON", Type: "None" } },
      }),
      question("QID2", {
        QuestionText: "Which frameworks do you use?",
        DataExportTag: "Q2",
        QuestionType: "MC",
        Selector: "MAVR",
        SubSelector: "TX",
        Choices: { "1": { Display: "TensorFlow" }, "2": { Display: "PyTorch" }, "3": { Display: "JAX" }, "5": { Display: "None of these", ExclusiveAnswer: true } },
        ChoiceOrder: [1, 2, 3, 5],
        Randomization: { Type: "All" },
      }),
      question("QID7", { QuestionText: "Thank you! Next: your practice.", DataExportTag: "Q7", QuestionType: "DB", Selector: "TB" }),
      question("QID3", {
        QuestionText: "How often do you do the following?",
        DataExportTag: "Q3",
        QuestionType: "Matrix",
        Selector: "Likert",
        SubSelector: "SingleAnswer",
        Choices: { "1": { Display: "Fix random seeds" }, "2": { Display: "Repeat identical runs" } },
        ChoiceOrder: ["1", "2"],
        Answers: { "1": { Display: "Never" }, "2": { Display: "Sometimes" }, "3": { Display: "Always" } },
        AnswerOrder: ["1", "2", "3"],
        DisplayLogic: {
          "0": {
            "0": { LogicType: "Question", QuestionID: "QID2", ChoiceLocator: "q://QID2/SelectableChoice/2", Operator: "Selected", Type: "Expression", Description: "If PyTorch Is Selected" },
            "1": { LogicType: "Question", QuestionID: "QID1", ChoiceLocator: "q://QID1/SelectableChoice/3", Operator: "Selected", Type: "Expression", Conjuction: "Or", Description: "Or Researcher Is Selected" },
            Type: "If",
          },
          Type: "BooleanExpression",
          inPage: false,
        },
      }),
      question("QID4", { QuestionText: "Why do results differ between runs?", DataExportTag: "Q4", QuestionType: "TE", Selector: "ESTB" }),
      question("QID5", {
        QuestionText: "Years of experience with deep learning",
        DataExportTag: "Q5",
        QuestionType: "TE",
        Selector: "SL",
        Validation: { Settings: { ForceResponse: "OFF", Type: "ContentType", ContentType: "ValidNumber", ValidNumber: { Min: "0", Max: "60" } } },
      }),
      question("QID6", { QuestionText: "How sure are you?", DataExportTag: "Q6", QuestionType: "Slider", Selector: "HSLIDER" }),
    ],
  });
}

export type ExportRow = {
  id: string;
  status?: string;
  finished?: boolean;
  progress?: number;
  start?: string;
  end?: string;
  q1?: string;
  q1Other?: string;
  q2?: string[];
  q3?: [string, string];
  q4?: string;
  q5?: string;
};

/**
 * A Qualtrics choice-text export of the survey above.
 * @param options.renameQ5 the Q5 column header as someone renamed it (its text row stays Qualtrics').
 * @param options.q5Text the Q5 text row (to make it unmatched by text too).
 */
export function makeExport(rows: ExportRow[], options: { timeZone?: string; renameQ5?: string; q5Text?: string } = {}): string {
  const zone = options.timeZone ?? "America/Denver";
  const frameworks = ["TensorFlow", "PyTorch", "JAX", "None of these"];
  const frameworkCodes = [1, 2, 3, 5];
  const header = [
    "StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
    "Q1", "Q1_4_TEXT", ...frameworkCodes.map((code) => `Q2_${code}`), "Q3_1", "Q3_2", "Q4", options.renameQ5 ?? "Q5",
  ];
  const texts = [
    "Start Date", "End Date", "Response Type", "Progress", "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
    "What is your role? - Selected Choice", "What is your role? - Other - Text",
    ...frameworks.map((label) => `Which frameworks do you use? - Selected Choice - ${label}`),
    "How often do you do the following? - Fix random seeds", "How often do you do the following? - Repeat identical runs",
    "Why do results differ between runs?", options.q5Text ?? "Years of experience with deep learning",
  ];
  const importIds = [
    JSON.stringify({ ImportId: "startDate", timeZone: zone }), JSON.stringify({ ImportId: "endDate", timeZone: zone }), '{"ImportId":"status"}',
    '{"ImportId":"progress"}', '{"ImportId":"duration"}', '{"ImportId":"finished"}', JSON.stringify({ ImportId: "recordedDate", timeZone: zone }), '{"ImportId":"_recordId"}',
    '{"ImportId":"QID1"}', '{"ImportId":"QID1_4_TEXT"}', ...frameworkCodes.map((code) => `{"ImportId":"QID2_${code}"}`), '{"ImportId":"QID3_1"}', '{"ImportId":"QID3_2"}',
    '{"ImportId":"QID4_TEXT"}', '{"ImportId":"QID5_TEXT"}',
  ];
  const body = rows.map((row) => [
    row.start ?? "2026-01-15 09:30:00", row.end ?? "2026-01-15 09:41:07", row.status ?? "IP Address", String(row.progress ?? (row.finished === false ? 40 : 100)), "667",
    row.finished === false ? "False" : "True", row.end ?? "2026-01-15 09:41:07", row.id,
    row.q1 ?? "", row.q1Other ?? "", ...frameworks.map((label) => (row.q2?.includes(label) ? label : "")), row.q3?.[0] ?? "", row.q3?.[1] ?? "", row.q4 ?? "", row.q5 ?? "",
  ]);
  return Papa.unparse([header, texts, importIds, ...body], { newline: "\r\n" });
}

/** Finished, unfinished and preview rows; the rows the tests count on. */
export const standardRows: ExportRow[] = [
  { id: "R_1", q1: "Student", q2: ["TensorFlow"], q4: "Nondeterministic GPU kernels", q5: "3" },
  { id: "R_2", q1: "Researcher", q2: ["PyTorch", "JAX"], q3: ["Always", "Sometimes"], q4: "Random init", q5: "12", start: "2026-07-01 23:50:00", end: "2026-07-02 00:10:00" },
  { id: "R_3", q1: "Other", q1Other: "Student and engineer", q2: ["None of these"], q4: "Unsure", q5: "1" },
  { id: "R_4", finished: false, progress: 45, q1: "Engineer", q2: ["PyTorch"] },
  { id: "R_5", finished: false, progress: 10, q1: "Engineer" },
  { id: "R_6", status: "Survey Preview", q1: "Student", q2: ["JAX"], q4: "test", q5: "2" },
];
