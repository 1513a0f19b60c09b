-- Incremental survey aggregates for the dashboard (lib/db/dashboard/tally.ts). A completed-only aggregate is
-- cached with the snapshot of the statement that computed it; when responses complete afterwards, the next view
-- adds just those responses' answers instead of reading every answer again.
--
-- "completion" records which transaction completed each response (its xid8). A cached aggregate computed in
-- snapshot S is brought up to date by counting the responses whose completing transaction is not visible in S:
-- exactly those that became completed after S, however the commits of concurrent writers were ordered.
-- A third survey counter, "survey-completed-edit", moves on every write that a new completion does not explain
-- (a completed response or its answers changed, reopened or deleted; definitions, lists, invitations). A cached
-- aggregate is extended only while that counter is unchanged; otherwise it is computed again from all answers.
CREATE TABLE "varstudy_meta"."completion" (
    "responseId" TEXT NOT NULL,
    "xid" xid8 NOT NULL,
    CONSTRAINT "completion_pkey" PRIMARY KEY ("responseId")
);
CREATE INDEX "completion_xid_idx" ON "varstudy_meta"."completion" ("xid");
-- Responses completed before this migration: a transaction id older than every snapshot (FrozenTransactionId), so
-- they are never taken for new completions, and every completed response has its row (see completed_here).
INSERT INTO "varstudy_meta"."completion" ("responseId", "xid") SELECT "id", '2'::xid8 FROM "Response" WHERE "status" = 'COMPLETED';

-- Responses completed by this statement: inserted as completed, or moved from in progress to completed.
CREATE OR REPLACE FUNCTION "varstudy_meta"."bump_response_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Separate statements: plpgsql plans a whole expression, and a trigger has only the transition tables of its event.
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
      RETURN NULL;
    END IF;
    PERFORM "varstudy_meta"."bump"('survey');
    IF EXISTS (SELECT 1 FROM old_rows WHERE "status" = 'COMPLETED') THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      PERFORM "varstudy_meta"."bump"('survey-completed-edit');
    END IF;
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM "varstudy_meta"."bump"('survey');
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "varstudy_meta"."completion" ("responseId", "xid")
      SELECT "id", pg_current_xact_id() FROM new_rows WHERE "status" = 'COMPLETED'
      ON CONFLICT ("responseId") DO UPDATE SET "xid" = EXCLUDED."xid";
    IF FOUND THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
    END IF;
    RETURN NULL;
  END IF;
  -- UPDATE. A completed response whose aggregated columns change (reopened, moved, re-dated) is an edit; other
  -- columns of a completed response (its resume token, say) are not read by any completed-only aggregate.
  IF EXISTS (
    SELECT 1 FROM old_rows o JOIN new_rows n ON n."id" = o."id"
     WHERE o."status" = 'COMPLETED'
       AND (n."status", n."questionnaireId", n."versionId", n."startedAt") IS DISTINCT FROM (o."status", o."questionnaireId", o."versionId", o."startedAt")
  ) THEN
    PERFORM "varstudy_meta"."bump"('survey-completed');
    PERFORM "varstudy_meta"."bump"('survey-completed-edit');
  END IF;
  INSERT INTO "varstudy_meta"."completion" ("responseId", "xid")
    SELECT n."id", pg_current_xact_id() FROM new_rows n JOIN old_rows o ON o."id" = n."id"
     WHERE n."status" = 'COMPLETED' AND o."status" <> 'COMPLETED'
    ON CONFLICT ("responseId") DO UPDATE SET "xid" = EXCLUDED."xid";
  IF FOUND THEN
    PERFORM "varstudy_meta"."bump"('survey-completed');
  END IF;
  RETURN NULL;
END
$$;

-- Answers of a completed response are an edit, unless this transaction completed (or inserted) that response:
-- then its completion row carries this transaction's xid and the next view counts its answers as they are at
-- commit.
CREATE OR REPLACE FUNCTION "varstudy_meta"."bump_answer_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
      RETURN NULL;
    END IF;
  ELSE
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM "varstudy_meta"."bump"('survey');
  IF TG_OP <> 'DELETE' THEN
    IF EXISTS (
      SELECT 1 FROM new_rows n JOIN "Response" r ON r."id" = n."responseId"
       WHERE r."status" = 'COMPLETED' AND NOT "varstudy_meta"."completed_here"(r."id", r."xmin")
    ) THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      PERFORM "varstudy_meta"."bump"('survey-completed-edit');
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF EXISTS (
      SELECT 1 FROM old_rows o JOIN "Response" r ON r."id" = o."responseId"
       WHERE r."status" = 'COMPLETED' AND NOT "varstudy_meta"."completed_here"(r."id", r."xmin")
    ) THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      PERFORM "varstudy_meta"."bump"('survey-completed-edit');
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- Whether the current transaction completed the response (see bump_answer_version): its completion row carries this
-- transaction's id, or it has no completion row yet while its row was written by this transaction (a page save
-- completes the response and writes its last answers in one statement, whose triggers need not fire in order).
CREATE FUNCTION "varstudy_meta"."completed_here"("response_id" TEXT, "row_xmin" xid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN c."xid" IS NULL THEN "row_xmin" = pg_current_xact_id()::xid ELSE c."xid" = pg_current_xact_id() END
    FROM (SELECT (SELECT "xid" FROM "varstudy_meta"."completion" WHERE "responseId" = "response_id") AS "xid") c;
$$;

-- Definitions, invitation lists and invitations: every counter.
CREATE OR REPLACE FUNCTION "varstudy_meta"."bump_survey_versions"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "varstudy_meta"."bump"('survey');
  PERFORM "varstudy_meta"."bump"('survey-completed');
  PERFORM "varstudy_meta"."bump"('survey-completed-edit');
  RETURN NULL;
END
$$;
