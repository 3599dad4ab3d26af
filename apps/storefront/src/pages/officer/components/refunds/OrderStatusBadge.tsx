import { Badge, type Tone } from "../../../../ui/index.ts";

const LOOK: Record<string, { tone: Tone; label: string }> = {
  paid: { tone: "success", label: "Paid" },
  partly_refunded: { tone: "warning", label: "Partly refunded" },
  refunded: { tone: "neutral", label: "Refunded" },
  cancelled: { tone: "neutral", label: "Cancelled" },
};

/** An order's status as the server derived it. */
export function OrderStatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { tone: "neutral" as const, label: status };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
