-- CreateTable
CREATE TABLE "OutboxLane" (
    "platform" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL
);

