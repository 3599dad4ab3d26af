import { Badge } from "../../ui/index.ts";

/** How many are left, or why none can be bought: one badge with one reason. */
export function SaleBadge({ status, available }: { status: "ON_SALE" | "NOT_YET" | "ENDED" | "CLOSED"; available: number }) {
  if (status === "ENDED") return <Badge tone="neutral">Ended</Badge>;
  if (status === "CLOSED") return <Badge tone="neutral">Not on sale</Badge>;
  if (available === 0) return <Badge tone="danger">Sold out</Badge>;
  if (status === "NOT_YET") return <Badge tone="info">{available} tickets at the drop</Badge>;
  if (available <= 10) return <Badge tone="warning">Only {available} left</Badge>;
  return <Badge tone="success">{available} available</Badge>;
}
