-- Originals kept on every site (issue 11): the photo without its private metadata, as a blob,
-- and its capture time. Photos added before this migration have none (NULL): they keep their
-- display image and tile, and an "original" download serves the display image for them.
-- AlterTable
ALTER TABLE "Photo" ADD COLUMN "originalHash" TEXT;
ALTER TABLE "Photo" ADD COLUMN "originalType" TEXT;
ALTER TABLE "Photo" ADD COLUMN "originalSizeBytes" INTEGER;
ALTER TABLE "Photo" ADD COLUMN "capturedAtMs" BIGINT;
