/**
 * Input guards shared by the statistics functions. Each throws a {@link StatsInputError} whose message
 * names the offending field, so a message read out of context still says what to fix.
 */
import { StatsInputError } from "./errors";

/**
 * Asserts a non-negative integer count (e.g. successes x).
 * @throws StatsInputError when `value` is negative, fractional or not finite.
 */
export function assertCount(value: number, name: string): void {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value < 0) {
    throw new StatsInputError(`${name} must be a non-negative whole number, got ${value}.`);
  }
}

/**
 * Asserts a positive integer sample size.
 * @throws StatsInputError when `value` is 0, negative, fractional or not finite.
 */
export function assertSampleSize(value: number, name: string): void {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value <= 0) {
    throw new StatsInputError(`${name} must be a positive whole number, got ${value}.`);
  }
}

/**
 * Asserts successes within trials: integers with 0 ≤ x ≤ n and n ≥ 1.
 * @throws StatsInputError otherwise.
 */
export function assertSuccesses(x: number, n: number, xName = "x", nName = "n"): void {
  assertSampleSize(n, nName);
  assertCount(x, xName);
  if (x > n) throw new StatsInputError(`${xName} (${x}) cannot exceed ${nName} (${n}).`);
}

/**
 * Asserts a confidence level strictly between 0 and 1 (0.95, not 95).
 * @throws StatsInputError otherwise.
 */
export function assertLevel(level: number, name = "level"): void {
  if (!Number.isFinite(level) || level <= 0 || level >= 1) {
    throw new StatsInputError(`${name} must be strictly between 0 and 1 (e.g. 0.95), got ${level}.`);
  }
}

/**
 * Asserts an array of finite numbers with at least `minLength` entries.
 * @throws StatsInputError when too short or when an entry is NaN/±Infinity/not a number.
 */
export function assertFiniteValues(values: readonly number[], name: string, minLength = 1): void {
  if (values.length < minLength) {
    throw new StatsInputError(
      `${name} needs at least ${minLength} value${minLength === 1 ? "" : "s"}, got ${values.length}.`,
    );
  }
  values.forEach((value, index) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new StatsInputError(`${name}[${index}] must be a finite number, got ${String(value)}.`);
    }
  });
}

/**
 * Asserts that `value` is one of `allowed`.
 * @throws StatsInputError naming the allowed values otherwise.
 */
export function assertOneOf<T extends string>(value: string, allowed: readonly T[], name: string): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new StatsInputError(`Unknown ${name} "${value}"; use one of: ${allowed.join(", ")}.`);
  }
}
