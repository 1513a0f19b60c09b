/**
 * Groups import problems by kind, so a file with the same mistake in 900 rows reads as one line with a
 * count and a few examples instead of 900 lines. A kind is the column plus the message with its
 * quoted values and numbers blanked out ("\"Yes \" is not an option of Q1" and "\"Nope\" is not …" are one kind).
 */
import type { CsvProblem } from "./csv";

export type ImportErrorGroup = {
  /** The message of the first problem of the kind, as an example of its wording. */
  message: string;
  columnName: string;
  count: number;
  /** The first few problems of the kind, each with its own row and column. */
  examples: CsvProblem[];
};

const kindOf = (problem: CsvProblem): string =>
  `${problem.column}\u0000${problem.message.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "#")}`;

/**
 * @param problems problems in file order.
 * @param examplesPerGroup how many problems of each kind to keep (default 3).
 * @returns groups, the most frequent first (ties: the earliest first).
 */
export function groupImportErrors(problems: readonly CsvProblem[], examplesPerGroup = 3): ImportErrorGroup[] {
  const groups = new Map<string, ImportErrorGroup & { first: number }>();
  problems.forEach((problem, index) => {
    const key = kindOf(problem);
    const group = groups.get(key);
    if (group) {
      group.count += 1;
      if (group.examples.length < examplesPerGroup) group.examples.push(problem);
    } else groups.set(key, { message: problem.message, columnName: problem.columnName, count: 1, examples: [problem], first: index });
  });
  return [...groups.values()].sort((a, b) => b.count - a.count || a.first - b.first).map(({ first: _first, ...group }) => group);
}
