import { afterAll } from "vitest";
// The session boundary only (./session-boundary.ts); everything behind it runs for real.
import "./session-boundary";
import { dropSharedWorld } from "./world";
// The suites share one seeded database (./world.ts), in this order: read-only ones first, those that add data last.
import "./page-access.suite";
import "./malformed-input.suite";
import "./object-level.suite";
import "./csv-exports.suite";

afterAll(dropSharedWorld);
