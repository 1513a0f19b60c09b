-- The Answer triggers look up each written answer's response by its primary key. Written as a join of the transition
-- table with "Response", the lookup was planned once per process, when the trigger first ran — on a new database,
-- while "Response" held a row or two, so as a scan of the whole table — and the embedded database, which never runs
-- ANALYZE, kept that plan as the table grew. In one process, a start and five page saves per response: 5.6 ms per
-- page save over the first 300 responses, 11.5 ms over the first 1,300; 2.4 ms with this lookup (2.4 ms without the
-- triggers). A lookup in a function called per answer row is an index lookup whenever it is planned.
-- Otherwise as in 20261206200000_dashboard_completion_log.
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
    IF EXISTS (SELECT 1 FROM new_rows n WHERE "varstudy_meta"."completed_elsewhere"(n."responseId")) THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      PERFORM "varstudy_meta"."bump"('survey-completed-edit');
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM old_rows o WHERE "varstudy_meta"."completed_elsewhere"(o."responseId")) THEN
      PERFORM "varstudy_meta"."bump"('survey-completed');
      PERFORM "varstudy_meta"."bump"('survey-completed-edit');
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- Whether the response is completed by another transaction than the current one (see completed_here): its answers
-- changing is then an edit of a completed response. False for a response that no longer exists.
CREATE FUNCTION "varstudy_meta"."completed_elsewhere"("response_id" TEXT) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT COALESCE(
    (SELECT r."status" = 'COMPLETED' AND NOT "varstudy_meta"."completed_here"(r."id", r."xmin") FROM "Response" r WHERE r."id" = "response_id"),
    false);
$$;
