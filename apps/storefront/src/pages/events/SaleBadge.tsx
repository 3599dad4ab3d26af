import type { Outputs } from "../../lib/api-types.ts";
import { Badge } from "../../ui/index.ts";

type SaleStatus = Outputs["event"]["get"]["showings"][number]["saleStatus"];

/** How many are left, or why none can be bought: one badge with one reason. */
export function SaleBadge({ status, available }: { status: SaleStatus; available: number }) {
  if (status === "CANCELLED") return <Badge tone="danger">Cancelled</Badge>;
  if (status === "ENDED") return <Badge tone="neutral">Ended</Badge>;
  if (status === "PAUSED") return <Badge tone="warning">Sales paused</Badge>;
  if (status === "CLOSED") return <Badge tone="neutral">Not on sale</Badge>;
  if (available === 0) return <Badge tone="danger">Sold out</Badge>;
  if (status === "NOT_YET") return <Badge tone="info">{available} tickets at the drop</Badge>;
  if (available <= 10) return <Badge tone="warning">Only {available} left</Badge>;
  return <Badge tone="success">{available} available</Badge>;
}
