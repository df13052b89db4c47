-- CreateTable
CREATE TABLE "Quarantine" (
    "peer" TEXT NOT NULL,
    "msgId" TEXT NOT NULL,
    "txId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "firstAtMs" BIGINT NOT NULL,
    "lastAtMs" BIGINT NOT NULL,
    "hits" INTEGER NOT NULL,

    PRIMARY KEY ("peer", "msgId")
);

-- CreateIndex
CREATE INDEX "Quarantine_lastAtMs_idx" ON "Quarantine"("lastAtMs");
