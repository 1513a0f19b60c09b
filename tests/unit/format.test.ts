import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatDuration,
  formatInterval,
  formatLevel,
  formatNumber,
  formatP,
  formatPercent,
  formatPoints,
  MISSING,
} from "@/lib/format";

describe("numbers", () => {
  it("formatNumber rounds like toFixed and never groups (statistics and CLI tables)", () => {
    expect(formatNumber(0.53124)).toBe("0.53");
    expect(formatNumber(1234.5678, 1)).toBe("1234.6");
    expect(formatNumber(0.015, 2)).toBe("0.01"); // the binary value is below the tie, as toFixed says
    expect(formatNumber(-2, 0)).toBe("-2");
  });

  it("formatDecimal groups thousands with the same rounding as formatNumber", () => {
    expect(formatDecimal(1234.56)).toBe("1,234.6");
    expect(formatDecimal(-1234567.891, 2)).toBe("-1,234,567.89");
    expect(formatDecimal(999.96)).toBe("1,000.0");
    expect(formatDecimal(0.015, 2)).toBe(formatNumber(0.015, 2));
    expect(formatDecimal(12, 0)).toBe("12");
  });

  it("shows a missing or undefined value as a dash, never NaN", () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatNumber(value)).toBe(MISSING);
      expect(formatDecimal(value)).toBe(MISSING);
      expect(formatPercent(value)).toBe(MISSING);
      expect(formatDuration(value)).toBe(MISSING);
    }
  });

  it("formatCount groups and, given a noun, says one or many", () => {
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(1, "paper")).toBe("1 paper");
    expect(formatCount(0, "paper")).toBe("0 papers");
    expect(formatCount(1500, "response")).toBe("1,500 responses");
  });
});

describe("proportions", () => {
  it("formatPercent, formatInterval and formatPoints take shares (0–1)", () => {
    expect(formatPercent(0.83796)).toBe("83.8%");
    expect(formatPercent(0.245, 0)).toBe("25%");
    expect(formatInterval(0.8134, 0.86)).toBe("[81.3%, 86.0%]");
    expect(formatPoints(0.042)).toBe("+4.2 pp");
    expect(formatPoints(-0.042)).toBe("−4.2 pp");
  });

  it("formatLevel drops a trailing .0 and formatP prints small p-values as a bound", () => {
    expect(formatLevel(0.95)).toBe("95%");
    expect(formatLevel(0.995)).toBe("99.5%");
    expect(formatP(0.0004)).toBe("< 0.001");
    expect(formatP(0.04567)).toBe("0.046");
  });
});

describe("durations and dates", () => {
  it("formatDuration writes hours and minutes, or minutes and seconds, or seconds", () => {
    expect(formatDuration(42.4)).toBe("42s");
    expect(formatDuration(185)).toBe("3m05s");
    expect(formatDuration(3720)).toBe("1h02m");
    expect(formatDuration(-5)).toBe("0s");
  });

  it("dates are written in UTC whatever the machine's zone", () => {
    const late = new Date("2026-12-07T23:59:58Z");
    expect(formatDate(late)).toBe("7 Dec 2026");
    expect(formatDateTime(late)).toBe("7 Dec 2026, 23:59");
    expect(formatDateTime("2026-12-07T23:59:58Z", { seconds: true })).toBe("7 Dec 2026, 23:59:58");
    expect(formatDateTime(late, { zone: true })).toBe("7 Dec 2026, 23:59 UTC");
  });
});
