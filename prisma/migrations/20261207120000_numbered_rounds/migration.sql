-- Numbered rounds (SPEC §1.12, §4.8): a round is (event, version, round); a ballot belongs to one
-- round of one version and may carry a reject's reason; an event may need more than one
-- contributor before a round can open (SPEC §1.13). Every existing round and ballot becomes
-- round 1 of its version; every existing event needs 1 contributor, as before.

-- AlterTable
ALTER TABLE "Event" ADD COLUMN "minContributors" INTEGER NOT NULL DEFAULT 1;

-- RedefineTables
CREATE TABLE "new_Round" (
    "eventId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "openedAtMs" BIGINT NOT NULL,
    "deadlineMs" BIGINT NOT NULL,
    "outcome" TEXT,
    "reason" TEXT,
    "decidedAtMs" BIGINT,
    "contributors" TEXT,

    PRIMARY KEY ("eventId", "version", "round"),
    CONSTRAINT "Round_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Round" ("eventId", "version", "round", "openedAtMs", "deadlineMs", "outcome", "reason", "decidedAtMs")
    SELECT "eventId", "version", 1, "openedAtMs", "deadlineMs", "outcome", "reason", "decidedAtMs" FROM "Round";
DROP TABLE "Round";
ALTER TABLE "new_Round" RENAME TO "Round";

CREATE TABLE "new_Ballot" (
    "eventId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "round" INTEGER NOT NULL DEFAULT 1,
    "userId" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "site" TEXT NOT NULL,
    "castAtMs" BIGINT NOT NULL,

    PRIMARY KEY ("eventId", "version", "round", "userId"),
    CONSTRAINT "Ballot_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Ballot" ("eventId", "version", "round", "userId", "userName", "decision", "site", "castAtMs")
    SELECT "eventId", "version", 1, "userId", "userName", "decision", "site", "castAtMs" FROM "Ballot";
DROP TABLE "Ballot";
ALTER TABLE "new_Ballot" RENAME TO "Ballot";
