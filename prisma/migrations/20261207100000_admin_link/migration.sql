-- Admin link (SPEC §1.14): the token's hash, replicated with the event, and "closed to new
-- contributors". Existing events keep working: no admin link, open.
-- AlterTable
ALTER TABLE "Event" ADD COLUMN "adminTokenHash" TEXT;
ALTER TABLE "Event" ADD COLUMN "closed" BOOLEAN NOT NULL DEFAULT false;
