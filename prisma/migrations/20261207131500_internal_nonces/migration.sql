-- CreateTable
CREATE TABLE "InternalNonce" (
    "site" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "expiresAtMs" BIGINT NOT NULL,

    PRIMARY KEY ("site", "nonce")
);

-- CreateIndex
CREATE INDEX "InternalNonce_expiresAtMs_idx" ON "InternalNonce"("expiresAtMs");
