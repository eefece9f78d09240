-- CreateTable
CREATE TABLE "CarePlan" (
    "partnerId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "goal" TEXT,
    "salesTarget" TEXT,
    "obstacles" TEXT,
    "nextSteps" TEXT,
    "updatedBy" TEXT,
    "updatedAt" DATETIME NOT NULL
);

