-- Data versions for the dashboard's aggregate cache (lib/db/dashboard/cache.ts). Every statement that writes a
-- table the dashboard reads bumps a counter of that table's part (survey, literature, experiments, study) in the
-- same transaction, so the counter becomes visible exactly when the data does, in every app instance.
-- Counters are spread over 8 slots per part (by backend pid) so concurrent writers rarely wait on one row; the
-- version of a part is the sum of its slots, which only grows.
-- The schema is separate from the app's tables on purpose: backups copy only the app's schema (derived state
-- is not data), Prisma's schema diff ignores it, and a restore into a new database does not find it "not empty".
CREATE SCHEMA IF NOT EXISTS "varstudy_meta";

CREATE TABLE "varstudy_meta"."data_version" (
    "part" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "version" BIGINT NOT NULL,
    CONSTRAINT "data_version_pkey" PRIMARY KEY ("part", "slot")
);

-- Identifies this database incarnation: a re-created database starts its counters again, and a cache must not
-- mistake its versions for the old database's.
CREATE TABLE "varstudy_meta"."data_epoch" ("epoch" TEXT NOT NULL);
INSERT INTO "varstudy_meta"."data_epoch" ("epoch") VALUES (gen_random_uuid()::text);

CREATE FUNCTION "varstudy_meta"."bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "varstudy_meta"."data_version" AS v ("part", "slot", "version") VALUES (TG_ARGV[0], pg_backend_pid() % 8, 1)
  ON CONFLICT ("part", "slot") DO UPDATE SET "version" = v."version" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Study" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('study');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Questionnaire" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "QuestionnaireVersion" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "InvitationList" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Invitation" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Response" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Answer" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('survey');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Codebook" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Paper" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SampleDraw" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SampleItem" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Assignment" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Coding" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "FinalCode" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('literature');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExperimentSet" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('experiments');
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExperimentRun" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_data_version"('experiments');
