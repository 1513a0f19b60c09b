-- CreateEnum
CREATE TYPE "DataJobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED');

-- CreateTable
CREATE TABLE "DataJob" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "studyId" TEXT,
    "questionnaireId" TEXT,
    "status" "DataJobStatus" NOT NULL DEFAULT 'QUEUED',
    "phase" TEXT NOT NULL DEFAULT 'stored',
    "fileName" TEXT NOT NULL DEFAULT '',
    "rowsTotal" INTEGER,
    "rowsChecked" INTEGER NOT NULL DEFAULT 0,
    "rowsWritten" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "result" JSONB,
    "importId" TEXT,
    "ownerHost" TEXT,
    "ownerPid" INTEGER,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DataJob_questionnaireId_createdAt_idx" ON "DataJob"("questionnaireId", "createdAt");

-- AddForeignKey
ALTER TABLE "DataJob" ADD CONSTRAINT "DataJob_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataJob" ADD CONSTRAINT "DataJob_questionnaireId_fkey" FOREIGN KEY ("questionnaireId") REFERENCES "Questionnaire"("id") ON DELETE CASCADE ON UPDATE CASCADE;
