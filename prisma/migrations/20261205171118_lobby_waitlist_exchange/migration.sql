-- CreateEnum
CREATE TYPE "LobbyEntryState" AS ENUM ('WAITING', 'ADMITTED', 'DONE', 'EXPIRED', 'LEFT');

-- CreateEnum
CREATE TYPE "WaitlistState" AS ENUM ('WAITING', 'OFFERED', 'DONE', 'EXPIRED', 'LEFT');

-- AlterTable
ALTER TABLE "Showing" ADD COLUMN     "waitlistOfferMinutes" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "exchangeAllowed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "exchangeListedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Lobby" (
    "showingId" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "opensMinutesBefore" INTEGER NOT NULL DEFAULT 15,
    "admitMinutes" INTEGER NOT NULL DEFAULT 10,
    "seed" TEXT NOT NULL,
    "seedCommitment" TEXT NOT NULL,
    "drawnAt" TIMESTAMP(3),
    "drawnEntries" INTEGER,
    "nextPosition" INTEGER NOT NULL DEFAULT 1,
    "admittedThrough" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "advancedAt" TIMESTAMP(3),
    "soldOutAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Lobby_pkey" PRIMARY KEY ("showingId")
);

-- CreateTable
CREATE TABLE "LobbyEntry" (
    "id" UUID NOT NULL,
    "showingId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "position" INTEGER,
    "drawKey" TEXT,
    "state" "LobbyEntryState" NOT NULL DEFAULT 'WAITING',
    "admittedAt" TIMESTAMP(3),
    "admitUntil" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "LobbyEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WaitlistEntry" (
    "id" UUID NOT NULL,
    "showingId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT,
    "count" INTEGER NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "state" "WaitlistState" NOT NULL DEFAULT 'WAITING',
    "offeredAt" TIMESTAMP(3),
    "offerExpiresAt" TIMESTAMP(3),
    "offeredCount" INTEGER,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "WaitlistEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DropReminder" (
    "id" UUID NOT NULL,
    "showingId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "remindAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DropReminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LobbyEntry_showingId_state_position_idx" ON "LobbyEntry"("showingId", "state", "position");

-- CreateIndex
CREATE UNIQUE INDEX "LobbyEntry_showingId_userId_key" ON "LobbyEntry"("showingId", "userId");

-- CreateIndex
CREATE INDEX "WaitlistEntry_showingId_state_joinedAt_idx" ON "WaitlistEntry"("showingId", "state", "joinedAt");

-- CreateIndex
CREATE INDEX "WaitlistEntry_state_offerExpiresAt_idx" ON "WaitlistEntry"("state", "offerExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "WaitlistEntry_showingId_userId_key" ON "WaitlistEntry"("showingId", "userId");

-- CreateIndex
CREATE INDEX "DropReminder_sentAt_remindAt_idx" ON "DropReminder"("sentAt", "remindAt");

-- CreateIndex
CREATE UNIQUE INDEX "DropReminder_showingId_userId_key" ON "DropReminder"("showingId", "userId");

-- CreateIndex
CREATE INDEX "Ticket_showingId_exchangeListedAt_idx" ON "Ticket"("showingId", "exchangeListedAt");

-- AddForeignKey
ALTER TABLE "Lobby" ADD CONSTRAINT "Lobby_showingId_fkey" FOREIGN KEY ("showingId") REFERENCES "Showing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LobbyEntry" ADD CONSTRAINT "LobbyEntry_showingId_fkey" FOREIGN KEY ("showingId") REFERENCES "Showing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LobbyEntry" ADD CONSTRAINT "LobbyEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_showingId_fkey" FOREIGN KEY ("showingId") REFERENCES "Showing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WaitlistEntry" ADD CONSTRAINT "WaitlistEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DropReminder" ADD CONSTRAINT "DropReminder_showingId_fkey" FOREIGN KEY ("showingId") REFERENCES "Showing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DropReminder" ADD CONSTRAINT "DropReminder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
