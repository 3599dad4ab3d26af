-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "statusReason" TEXT;
