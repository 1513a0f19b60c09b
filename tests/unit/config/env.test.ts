import { describe, expect, it } from "vitest";
import { parseServerEnv, siteUrl } from "@/lib/env";

describe("the environment schema", () => {
  it("accepts an empty environment (embedded mode, every default)", () => {
    expect(parseServerEnv({} as NodeJS.ProcessEnv)).toMatchObject({});
  });

  it("accepts a server-mode configuration and turns numbers into numbers", () => {
    const env = parseServerEnv({
      DATABASE_URL: "postgres://u:p@db:5432/varstudy",
      AUTH_SECRET: "x".repeat(32),
      NEXTAUTH_URL: "https://varstudy.example.org",
      DATABASE_POOL_SIZE: "20",
      VARSTUDY_TRUSTED_PROXIES: "1",
      VARSTUDY_SURVEY_RATE_LIMIT: "off",
    } as unknown as NodeJS.ProcessEnv);
    expect(env.DATABASE_POOL_SIZE).toBe(20);
    expect(env.VARSTUDY_TRUSTED_PROXIES).toBe(1);
  });

  it("names every wrong variable at once", () => {
    const wrong = { DATABASE_URL: "mysql://db", AUTH_SECRET: "short", DATABASE_POOL_SIZE: "ten", VARSTUDY_BCRYPT_COST: "40", NEXTAUTH_URL: "not a url" } as unknown as NodeJS.ProcessEnv;
    let message = "";
    try {
      parseServerEnv(wrong);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ["DATABASE_URL", "AUTH_SECRET", "DATABASE_POOL_SIZE", "VARSTUDY_BCRYPT_COST", "NEXTAUTH_URL"]) expect(message).toContain(name);
  });

  it("every variable of the schema is documented in .env.example", async () => {
    const { envSchema } = await import("@/lib/env");
    const { readFileSync } = await import("node:fs");
    const example = readFileSync(".env.example", "utf8");
    for (const name of Object.keys(envSchema.shape)) expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
  });

  it("reads the site's address only when it is set", () => {
    expect(siteUrl({} as NodeJS.ProcessEnv)).toBeNull();
    expect(siteUrl({ NEXTAUTH_URL: " https://a.example " } as unknown as NodeJS.ProcessEnv)).toBe("https://a.example");
  });
});
