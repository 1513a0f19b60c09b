-- AlterTable
ALTER TABLE "ResponseImport" ADD COLUMN     "columnMapping" JSONB,
ADD COLUMN     "timeZone" TEXT,
ADD COLUMN     "undoneAt" TIMESTAMP(3),
ADD COLUMN     "undoneById" TEXT;
