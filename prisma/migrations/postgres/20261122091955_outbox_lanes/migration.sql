-- CreateTable
CREATE TABLE "OutboxLane" (
    "platform" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboxLane_pkey" PRIMARY KEY ("platform")
);

