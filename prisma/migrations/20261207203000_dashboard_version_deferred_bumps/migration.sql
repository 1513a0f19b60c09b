-- A long bulk transaction (a response import in server mode, lib/jobs/response-import-job.ts) would hold the
-- data-version row of its slot (pg_backend_pid() % 8) from its first statement until it commits, and every
-- participant whose connection has the same slot would wait for the whole import. Such a transaction defers its
-- bumps instead: after defer_bumps(), bump() only notes which counters moved (in a transaction-local setting), and
-- bump_deferred(), called as the transaction's last statement, bumps each of them once. The counters still
-- become visible exactly when the data does (same transaction); the row is held only from that last statement to
-- the commit. The settings are local to the transaction, so a rollback or the commit ends the deferral.
CREATE OR REPLACE FUNCTION "varstudy_meta"."bump"("name" TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  deferred TEXT := coalesce(current_setting('varstudy.deferred_bumps', true), '');
BEGIN
  IF deferred <> '' THEN
    IF position(',' || "name" || ',' IN deferred) = 0 THEN
      PERFORM set_config('varstudy.deferred_bumps', deferred || "name" || ',', true);
    END IF;
    RETURN;
  END IF;
  INSERT INTO "varstudy_meta"."data_version" AS v ("part", "slot", "version") VALUES ("name", pg_backend_pid() % 8, 1)
  ON CONFLICT ("part", "slot") DO UPDATE SET "version" = v."version" + 1;
END
$$;

-- Starts deferring this transaction's bumps (the setting holds the counters noted so far, between commas).
CREATE FUNCTION "varstudy_meta"."defer_bumps"() RETURNS void LANGUAGE sql AS $$
  SELECT set_config('varstudy.deferred_bumps', ',', true) WHERE coalesce(current_setting('varstudy.deferred_bumps', true), '') = '';
$$;

-- Ends the deferral and bumps each counter noted meanwhile once.
CREATE FUNCTION "varstudy_meta"."bump_deferred"() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  deferred TEXT := coalesce(current_setting('varstudy.deferred_bumps', true), '');
  part TEXT;
BEGIN
  PERFORM set_config('varstudy.deferred_bumps', '', true);
  FOREACH part IN ARRAY string_to_array(trim(BOTH ',' FROM deferred), ',') LOOP
    PERFORM "varstudy_meta"."bump"(part);
  END LOOP;
END
$$;
