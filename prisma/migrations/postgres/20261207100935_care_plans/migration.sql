-- CreateTable
CREATE TABLE "CarePlan" (
    "partnerId" INTEGER NOT NULL,
    "goal" TEXT,
    "salesTarget" TEXT,
    "obstacles" TEXT,
    "nextSteps" TEXT,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CarePlan_pkey" PRIMARY KEY ("partnerId")
);

