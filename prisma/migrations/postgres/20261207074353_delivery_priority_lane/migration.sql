-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "ephemeralTo" TEXT,
ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

