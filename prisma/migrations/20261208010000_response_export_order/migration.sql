-- A background response export (lib/jobs/response-export-job.ts) reads a questionnaire's responses in the export's
-- order (startedAt, id), a batch at a time after the last one written: ("startedAt", id) > ($last) … LIMIT n.
-- Without this index every batch sorted all of the questionnaire's responses again.
CREATE INDEX "Response_questionnaireId_startedAt_id_idx" ON "Response"("questionnaireId", "startedAt", "id");
