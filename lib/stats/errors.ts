/**
 * The one error type of the statistics engine. Every invalid input (x > n, n = 0, a level outside (0, 1),
 * ragged tables, unknown methods, quantities that are undefined for the data given) throws this with one
 * clear sentence, so callers can show the message as is: the CLI writes it as `{"error": …}`, server
 * actions return it as an expected failure.
 */
export class StatsInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "StatsInputError";
  }
}

/** True when `error` is a {@link StatsInputError} (also across module copies, by name). */
export const isStatsInputError = (error: unknown): error is StatsInputError =>
  error instanceof StatsInputError || (error instanceof Error && error.name === "StatsInputError");
