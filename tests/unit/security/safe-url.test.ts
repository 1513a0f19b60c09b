import { describe, expect, it } from "vitest";
import { webUrlOrNull } from "@/lib/security/safe-url";

describe("webUrlOrNull", () => {
  it("keeps http and https addresses", () => {
    expect(webUrlOrNull("https://doi.org/10.5555/x")).toBe("https://doi.org/10.5555/x");
    expect(webUrlOrNull(" http://example.org/paper.pdf ")).toBe("http://example.org/paper.pdf");
  });

  it("drops script, data and other schemes, whatever their spelling, and text that is no URL", () => {
    for (const value of ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "not a url", "", null, undefined]) {
      expect(webUrlOrNull(value), String(value)).toBeNull();
    }
  });
});
