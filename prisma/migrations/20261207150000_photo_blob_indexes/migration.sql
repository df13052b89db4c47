-- CreateIndex
CREATE INDEX "Photo_displayHash_idx" ON "Photo"("displayHash");

-- CreateIndex
CREATE INDEX "Photo_tileHash_idx" ON "Photo"("tileHash");

-- CreateIndex
CREATE INDEX "Photo_originalHash_idx" ON "Photo"("originalHash");
