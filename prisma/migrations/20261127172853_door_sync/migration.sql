-- AlterTable
ALTER TABLE "CheckInEntry" ADD COLUMN     "conflictReason" TEXT,
ADD COLUMN     "undoesScanId" TEXT;

-- CreateTable
CREATE TABLE "DoorChange" (
    "seq" BIGSERIAL NOT NULL,
    "showingId" INTEGER NOT NULL,
    "ticketId" UUID NOT NULL,
    "txid" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DoorChange_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "DoorChange_showingId_txid_idx" ON "DoorChange"("showingId", "txid");

-- Door devices must hear about every sale, transfer, refund and check-in, whichever code path made it,
-- so the change log is written by triggers rather than by application code.
CREATE FUNCTION admit_ticket_door_change() RETURNS trigger AS $$
BEGIN
  IF (TG_OP = 'INSERT' AND NEW."ownerId" IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND (
          NEW."ownerId" IS DISTINCT FROM OLD."ownerId"
       OR NEW."qrGeneration" IS DISTINCT FROM OLD."qrGeneration"
       OR NEW."attended" IS DISTINCT FROM OLD."attended"
       OR NEW."attendedAt" IS DISTINCT FROM OLD."attendedAt"
       OR NEW."type" IS DISTINCT FROM OLD."type")) THEN
    INSERT INTO "DoorChange" ("showingId", "ticketId", "txid")
    VALUES (NEW."showingId", NEW."id", pg_current_xact_id()::text::bigint);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ticket_door_change
AFTER INSERT OR UPDATE ON "Ticket"
FOR EACH ROW EXECUTE FUNCTION admit_ticket_door_change();

CREATE FUNCTION admit_checkin_door_change() RETURNS trigger AS $$
BEGIN
  INSERT INTO "DoorChange" ("showingId", "ticketId", "txid")
  VALUES (NEW."showingId", NEW."ticketId", pg_current_xact_id()::text::bigint);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER checkin_door_change
AFTER INSERT OR UPDATE ON "CheckInEntry"
FOR EACH ROW EXECUTE FUNCTION admit_checkin_door_change();
