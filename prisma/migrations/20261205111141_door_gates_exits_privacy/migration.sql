-- AlterEnum
ALTER TYPE "CheckInAction" ADD VALUE 'EXIT';

-- AlterTable
ALTER TABLE "KioskDevice" ADD COLUMN     "allowedTypes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Showing" ADD COLUMN     "doorCapacity" INTEGER,
ADD COLUMN     "doorPrivate" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "exitedAt" TIMESTAMP(3);

-- Kiosks must also hear when a holder leaves or comes back (exitedAt), whichever code path wrote it.
CREATE OR REPLACE FUNCTION admit_ticket_door_change() RETURNS trigger AS $$
BEGIN
  IF (TG_OP = 'INSERT' AND NEW."ownerId" IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND (
          NEW."ownerId" IS DISTINCT FROM OLD."ownerId"
       OR NEW."qrGeneration" IS DISTINCT FROM OLD."qrGeneration"
       OR NEW."attended" IS DISTINCT FROM OLD."attended"
       OR NEW."attendedAt" IS DISTINCT FROM OLD."attendedAt"
       OR NEW."exitedAt" IS DISTINCT FROM OLD."exitedAt"
       OR NEW."type" IS DISTINCT FROM OLD."type")) THEN
    INSERT INTO "DoorChange" ("showingId", "ticketId", "txid")
    VALUES (NEW."showingId", NEW."id", pg_current_xact_id()::text::bigint);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
