-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "internal" BOOLEAN NOT NULL DEFAULT false;

