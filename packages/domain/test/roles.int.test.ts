import { createClub, createUser } from "@admit/db/factories";
import { testBackends } from "@admit/db/testing";
import { describe, expect, it } from "vitest";
import type { UserActor } from "../src/actor.ts";
import { ManualClock } from "../src/clock.ts";
import { createServices } from "../src/services.ts";

const actorFor = (user: { id: string; username: string; isSiteAdmin: boolean }): UserActor => ({
  kind: "user",
  userId: user.id,
  username: user.username,
  fullName: user.username,
  email: `${user.username}@example.edu`,
  isSiteAdmin: user.isSiteAdmin,
  sessionId: "test",
});

for (const backend of testBackends()) {
  describe(`roles come from club memberships (${backend.kind})`, () => {
    it("lets owners, officers and site admins manage a club, and nobody else", async () => {
      const db = await backend.open();
      try {
        const { roles } = createServices({ prisma: db.prisma, clock: new ManualClock() });
        const [owner, officer, member, outsider, admin] = await Promise.all([
          createUser(db.prisma),
          createUser(db.prisma),
          createUser(db.prisma),
          createUser(db.prisma),
          createUser(db.prisma, { isSiteAdmin: true }),
        ]);
        const club = await createClub(db.prisma, { owners: [owner.id], officers: [officer.id] });
        await db.prisma.membership.create({ data: { clubId: club.id, userId: member.id, role: "MEMBER" } });
        const otherClub = await createClub(db.prisma, { owners: [outsider.id] });

        expect(await roles.canManageClub(actorFor(owner), club.id)).toBe(true);
        expect(await roles.canManageClub(actorFor(officer), club.id)).toBe(true);
        expect(await roles.canManageClub(actorFor(admin), club.id)).toBe(true);
        expect(await roles.canManageClub(actorFor(member), club.id)).toBe(false);
        expect(await roles.canManageClub(actorFor(outsider), club.id)).toBe(false);
        await expect(roles.requireClubManager(actorFor(outsider), club.id)).rejects.toMatchObject({ code: "NOT_FOUND" });

        const managed = await roles.managedClubs(actorFor(officer));
        expect(managed.map((c) => c.id)).toEqual([club.id]);
        expect(managed[0]?.role).toBe("OFFICER");
        const adminSees = (await roles.managedClubs(actorFor(admin))).map((c) => c.id);
        expect(adminSees).toEqual(expect.arrayContaining([club.id, otherClub.id]));
        expect(await roles.managedClubs(actorFor(member))).toEqual([]);
      } finally {
        await db.close();
      }
    });
  });
}
