-- A second survey counter for the dashboard's cache: "survey-completed" moves only when a write can change what
-- completed responses show (the dashboard's default filter). A participant saving a page of an unfinished
-- response changes the funnel (counted under "survey") but no completed-only aggregate, so during a live survey
-- the admin's repeated views stay cheap. Definitions, lists and invitations move both counters.
-- Transition tables say which rows a statement touched; a trigger with them may have only one event, hence one
-- trigger per event on Response and Answer.

CREATE FUNCTION "varstudy_meta"."bump"("name" TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "varstudy_meta"."data_version" AS v ("part", "slot", "version") VALUES ("name", pg_backend_pid() % 8, 1)
  ON CONFLICT ("part", "slot") DO UPDATE SET "version" = v."version" + 1;
$$;

-- Response rows: completed before (OLD) or after (NEW) the statement.
CREATE FUNCTION "varstudy_meta"."bump_response_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "varstudy_meta"."bump"('survey');
  -- Separate statements: plpgsql plans a whole expression, and a trigger has only the transition tables of its event.
  IF TG_OP <> 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM new_rows WHERE "status" = 'COMPLETED') THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM old_rows WHERE "status" = 'COMPLETED') THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- Answer rows of a response that is completed now (a response completed in the same transaction moves the
-- counter through its own UPDATE; a deleted response through its DELETE).
CREATE FUNCTION "varstudy_meta"."bump_answer_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "varstudy_meta"."bump"('survey');
  IF TG_OP <> 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM new_rows n JOIN "Response" r ON r."id" = n."responseId" WHERE r."status" = 'COMPLETED') THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN "Response" r ON r."id" = o."responseId" WHERE r."status" = 'COMPLETED') THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "varstudy_meta"."bump_survey_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "varstudy_meta"."bump"('survey');
  PERFORM "varstudy_meta"."bump"('survey-completed');
  RETURN NULL;
END
$$;

DROP TRIGGER "dashboard_version" ON "Response";
DROP TRIGGER "dashboard_version" ON "Answer";
CREATE TRIGGER "dashboard_version_insert" AFTER INSERT ON "Response" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_response_version"();
CREATE TRIGGER "dashboard_version_update" AFTER UPDATE ON "Response" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_response_version"();
CREATE TRIGGER "dashboard_version_delete" AFTER DELETE ON "Response" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_response_version"();
CREATE TRIGGER "dashboard_version_truncate" AFTER TRUNCATE ON "Response" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();
CREATE TRIGGER "dashboard_version_insert" AFTER INSERT ON "Answer" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_answer_version"();
CREATE TRIGGER "dashboard_version_update" AFTER UPDATE ON "Answer" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_answer_version"();
CREATE TRIGGER "dashboard_version_delete" AFTER DELETE ON "Answer" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_answer_version"();
CREATE TRIGGER "dashboard_version_truncate" AFTER TRUNCATE ON "Answer" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();

-- Definitions, invitation lists and invitations change labels and the list filter: both counters.
DROP TRIGGER "dashboard_version" ON "Questionnaire";
DROP TRIGGER "dashboard_version" ON "QuestionnaireVersion";
DROP TRIGGER "dashboard_version" ON "InvitationList";
DROP TRIGGER "dashboard_version" ON "Invitation";
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Questionnaire" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "QuestionnaireVersion" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "InvitationList" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();
CREATE TRIGGER "dashboard_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Invitation" FOR EACH STATEMENT EXECUTE FUNCTION "varstudy_meta"."bump_survey_versions"();
