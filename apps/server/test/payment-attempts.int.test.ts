import { testBackends } from "@admit/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPath, api, quickStudents, showingWith } from "./cart-helpers.ts";
import { startTestServer, type TestServer } from "./harness.ts";

for (const backend of testBackends()) {
  describe(`checkout attempts are each buyer's own (${backend.kind})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => server?.close());

    it("checking out a changed cart ends only that buyer's pending attempt; another buyer's attempt and hold stay", async () => {
      const { event, showing } = await showingWith(server, [{ type: "general", count: 5, price: "7.00" }]);
      const [first, second] = await quickStudents(server, 2);
      const addOne = (token: string) =>
        api(server, "POST", addPath(event.id, showing.id), { token, body: { quantities: [{ type: "general", count: 1 }] } });
      const checkout = (token: string) => api(server, "POST", "/api/tickets/initiate_checkout/", { token, body: {} });

      expect((await addOne(first!.token)).status).toBe(200);
      expect((await checkout(first!.token)).status).toBe(200);
      expect((await addOne(second!.token)).status).toBe(200);
      expect((await checkout(second!.token)).status).toBe(200);
      expect((await addOne(second!.token)).status).toBe(200);
      const again = await checkout(second!.token);
      expect(again.status).toBe(200);
      expect(again.body.total).toBe("14.00");

      const attempts = await server.db.prisma.payment.findMany({
        where: { userId: { in: [first!.id, second!.id] } },
        select: { userId: true, status: true },
      });
      const statuses = attempts.map((a) => `${a.userId === first!.id ? "first" : "second"} ${a.status}`).sort();
      expect(statuses).toEqual(["first PENDING", "second PENDING", "second SUPERSEDED"]);
      expect(await server.db.prisma.ticket.count({ where: { holderId: first!.id } })).toBe(1);
      expect(await server.db.prisma.ticket.count({ where: { holderId: second!.id } })).toBe(2);
    });
  });
}
