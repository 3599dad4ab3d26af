-- AlterTable
ALTER TABLE "KioskDevice" ADD COLUMN     "unsentScans" INTEGER;

-- Door push: every check-in (kiosk uploads, officers' marks, whichever code path) is announced on the channel
-- admit_door when its transaction commits, as "showingId:deviceId" (the device that sent the scans, empty for an
-- officer's mark, so a door is not woken by its own uploads), to every server process that listens; they tell their
-- paired kiosks to pull the change feed now. Only check-ins: NOTIFY serializes the commits of notifying
-- transactions, and an on-sale rush must not queue behind it (doors learn of sales by their pull).
CREATE FUNCTION admit_checkin_door_push() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('admit_door', s."showingId"::text || ':' || coalesce(s."deviceId"::text, ''))
  FROM (SELECT DISTINCT "showingId", "deviceId" FROM new_entries) AS s;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER checkin_door_push
AFTER INSERT ON "CheckInEntry"
REFERENCING NEW TABLE AS new_entries
FOR EACH STATEMENT EXECUTE FUNCTION admit_checkin_door_push();
