import { clubCodeParams, financeReportSchema } from "@admit/validators";
import type { FastifyInstance } from "fastify";
import type { Runtime } from "../runtime.ts";
import { FINANCE_CSV_COLUMNS, financeCsv, financeFilename } from "./finance-csv.ts";
import { restUser } from "./rest.ts";
import { route } from "./route.ts";

export function registerFinanceRoutes(app: FastifyInstance, runtime: Runtime) {
  route(app, {
    method: "GET",
    url: "/api/clubs/:code/finance/",
    summary: "A club's finance report",
    description:
      "Sales, refunds (done), net (sales minus refunds) and refunds still owed (pending or waiting for the club), in " +
      "total, per calendar month in the club's time zone and per event, plus sales per day. An order spanning clubs " +
      "counts only this club's lines. Owners and officers of the club; 404 for anyone else.",
    tags: ["Clubs"],
    auth: "officer",
    params: clubCodeParams,
    responses: { 200: { description: "The report", schema: financeReportSchema } },
    handler: async ({ req, params }) =>
      financeReportSchema.parse(await runtime.services.clubFinance.report(await restUser(runtime, req), { clubCode: params.code })),
  });

  route(app, {
    method: "GET",
    url: "/api/clubs/:code/finance.csv",
    summary: "A club's payments and refunds as CSV, for reconciliation",
    description:
      `One row per payment and per refund, oldest first, keyed by CyberSource transaction id and reference number: ${FINANCE_CSV_COLUMNS.join(", ")}. ` +
      "Times are in the club's time zone with their UTC offset; refund amounts are negative; free orders move no money and are left out.",
    tags: ["Clubs"],
    auth: "officer",
    params: clubCodeParams,
    responses: { 200: { description: "The reconciliation file with a header row", contentType: "text/csv" } },
    handler: async ({ req, reply, params }) => {
      const { club, entries } = await runtime.services.clubFinance.ledger(await restUser(runtime, req), { clubCode: params.code });
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${financeFilename(club.code)}"`)
        .header("cache-control", "no-store")
        .send(financeCsv(entries));
    },
  });
}
