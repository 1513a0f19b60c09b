-- A statement trigger fires even when its statement touched no row (a DELETE … WHERE that matched nothing).
-- On Response and Answer, the busiest tables, such statements no longer move the dashboard's data versions, so they
-- do not throw away cached aggregates for nothing. Otherwise as in 20261128034710_dashboard_completed_version.

CREATE OR REPLACE FUNCTION "varstudy_meta"."bump_response_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Separate statements: plpgsql plans a whole expression, and a trigger has only the transition tables of its event.
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
