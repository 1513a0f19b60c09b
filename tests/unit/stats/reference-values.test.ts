/**
 * Golden values from published sources (see each fixture's `source`), run through the same command
 * layer the CLI uses so the JSON contract and the library are checked together.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { pearsonCorrelation, runStatsCommand } from "@/lib/stats";

type Fixture = {
  id: string;
  command: string;
  input: Record<string, unknown>;
  expected: Record<string, number | number[]>;
  tolerance: number;
  source: string;
};

const fixtureDirectory = path.resolve(import.meta.dirname, "../../fixtures/stats");
const fixtureFiles = readdirSync(fixtureDirectory).filter((file) => file.endsWith(".json"));

function run(fixture: Fixture): Record<string, unknown> {
  if (fixture.command === "__pearson") {
    return pearsonCorrelation(fixture.input.x as number[], fixture.input.y as number[]);
  }
  return runStatsCommand(fixture.command, fixture.input) as Record<string, unknown>;
}

describe.each(fixtureFiles)("reference values in %s", (file) => {
  const { cases } = JSON.parse(readFileSync(path.join(fixtureDirectory, file), "utf8")) as { cases: Fixture[] };

  test("every case names its source", () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const fixture of cases) expect(fixture.source.length, fixture.id).toBeGreaterThan(20);
  });

  test.each(cases.map((fixture) => [fixture.id, fixture] as const))("%s", (_id, fixture) => {
    const result = run(fixture);
    for (const [field, expected] of Object.entries(fixture.expected)) {
      const actual = result[field];
      const expectedValues = Array.isArray(expected) ? expected : [expected];
      const actualValues = (Array.isArray(actual) ? actual : [actual]) as number[];
      expect(actualValues, `${fixture.id}: ${field}`).toHaveLength(expectedValues.length);
      expectedValues.forEach((value, index) => {
        const difference = Math.abs(actualValues[index]! - value);
        expect(difference, `${fixture.id}: ${field} = ${actualValues[index]} vs ${value}`).toBeLessThanOrEqual(
          fixture.tolerance + 1e-15,
        );
      });
    }
  });
});
