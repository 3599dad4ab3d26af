export { Buyers, type BuyerRow } from "./buyers.ts";
export { EmailBlasts } from "./blast.ts";
export { Catalogue } from "./catalogue.ts";
export { ClubDashboard } from "./dashboard.ts";
export { EventAdmin, type NewShowing, type ShowingChanges } from "./events.ts";
export { TicketIssuing, type CatalogOptions, type IssueRequest, type IssuedTicket } from "./issue.ts";
export { Offerings, type AddTickets, type Offering, type SetOfferings } from "./offerings.ts";
export { ticketStats, type TypeStats } from "./stats.ts";
