-- AlterTable
ALTER TABLE "Questionnaire" ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "headlineConfig" JSONB;

-- AlterTable
ALTER TABLE "Study" ADD COLUMN     "archivedAt" TIMESTAMP(3);
