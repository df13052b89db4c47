-- CreateTable
CREATE TABLE "TxOpen" (
    "txId" TEXT NOT NULL,
    "role" TEXT NOT NULL,

    PRIMARY KEY ("txId", "role")
);

-- CreateTable
CREATE TABLE "TxLogHorizon" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "prunedUpToSeq" INTEGER NOT NULL
);

-- The txns not settled yet, from the log as it stands.
INSERT INTO "TxOpen" ("txId", "role")
SELECT DISTINCT p."txId", 'participant' FROM "TxLog" p
WHERE p."kind" = 'participant.prepared'
  AND NOT EXISTS (SELECT 1 FROM "TxLog" e WHERE e."txId" = p."txId" AND e."kind" IN ('participant.committed', 'participant.aborted'));

INSERT INTO "TxOpen" ("txId", "role")
SELECT DISTINCT d."txId", 'coordinator' FROM "TxLog" d
WHERE d."kind" = 'coordinator.decided' AND json_extract(d."body", '$.fenced') = 0
  AND NOT EXISTS (SELECT 1 FROM "TxLog" e WHERE e."txId" = d."txId" AND e."kind" = 'coordinator.ended');
