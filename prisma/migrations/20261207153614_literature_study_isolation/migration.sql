-- AlterTable
ALTER TABLE "FinalCode" ADD COLUMN     "overrideReason" TEXT;

-- AlterTable
ALTER TABLE "RunnerJob" ADD COLUMN     "studyId" TEXT;

-- AddForeignKey
ALTER TABLE "RunnerJob" ADD CONSTRAINT "RunnerJob_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE SET NULL ON UPDATE CASCADE;
