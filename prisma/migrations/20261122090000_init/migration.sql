-- CreateTable
CREATE TABLE "TxLog" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "txId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "atMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "Outbox" (
    "peer" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL,

    PRIMARY KEY ("peer", "key")
);

-- CreateTable
CREATE TABLE "Inbox" (
    "peer" TEXT NOT NULL,
    "msgId" TEXT NOT NULL,
    "reply" TEXT NOT NULL,
    "atMs" BIGINT NOT NULL,

    PRIMARY KEY ("peer", "msgId")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "homeSite" TEXT NOT NULL,
    "creatorId" TEXT NOT NULL,
    "creatorName" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL,
    "montageVersion" INTEGER NOT NULL DEFAULT 0,
    "publishedVersion" INTEGER,
    "publishedAtMs" BIGINT
);

-- CreateTable
CREATE TABLE "Photo" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "uploaderId" TEXT NOT NULL,
    "uploaderName" TEXT NOT NULL,
    "originSite" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "displayHash" TEXT NOT NULL,
    "tileHash" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "createdAtMs" BIGINT NOT NULL,
    CONSTRAINT "Photo_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PreparedChange" (
    "txId" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL
);

-- CreateTable
CREATE TABLE "Ballot" (
    "eventId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "userName" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "site" TEXT NOT NULL,
    "castAtMs" BIGINT NOT NULL,

    PRIMARY KEY ("eventId", "version", "userId"),
    CONSTRAINT "Ballot_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Round" (
    "eventId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "openedAtMs" BIGINT NOT NULL,
    "deadlineMs" BIGINT NOT NULL,
    "outcome" TEXT,
    "reason" TEXT,
    "decidedAtMs" BIGINT,

    PRIMARY KEY ("eventId", "version"),
    CONSTRAINT "Round_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IdempotentRequest" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "status" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAtMs" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "TxLog_txId_idx" ON "TxLog"("txId");

-- CreateIndex
CREATE INDEX "Inbox_atMs_idx" ON "Inbox"("atMs");

-- CreateIndex
CREATE INDEX "Photo_eventId_uploaderId_idx" ON "Photo"("eventId", "uploaderId");

-- CreateIndex
CREATE UNIQUE INDEX "Photo_eventId_sha256_key" ON "Photo"("eventId", "sha256");

-- CreateIndex
CREATE INDEX "PreparedChange_eventId_idx" ON "PreparedChange"("eventId");
