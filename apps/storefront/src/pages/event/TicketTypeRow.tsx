import type { Outputs } from "../../lib/api-types.ts";
import { describeGroupQuote, formatUsd, isFree } from "../../lib/format.ts";
import { Badge, Money, QuantityPicker } from "../../ui/index.ts";
import type { PicksQuote } from "./OrderBar.tsx";

type TicketType = Outputs["event"]["get"]["showings"][number]["types"][number];

interface Props {
  type: TicketType;
  value: number;
  max: number;
  /** The server's price of the picked tickets of this type, when any are picked. */
  priced: PicksQuote["lines"][number] | null;
  onSale: boolean;
  disabled: boolean;
  onChange: (value: number) => void;
}

export function TicketTypeRow({ type, value, max, priced, onSale, disabled, onChange }: Props) {
  const stopped = type.saleStatus !== "ON_SALE";
  const soldOut = !stopped && type.available === 0;
  const discounted = value > 0 && priced !== null && !isFree(priced.discount);
  return (
    <li className="type-row">
      <div className="type-info">
        <p className="type-name">{type.type}</p>
        <p className="type-price">
          <Money amount={type.price} free />
          {discounted && <span className="type-discounted"> · {formatUsd(priced.unitPrice)} each with your group</span>}
        </p>
        {type.groupQuote && <p className="type-rule">{describeGroupQuote(type.type, type.groupQuote)}</p>}
        <div className="type-badges">
          {type.saleStatus === "PAUSED" ? (
            <Badge tone="warning">Sales paused</Badge>
          ) : type.saleStatus === "SALES_ENDED" ? (
            <Badge tone="neutral">Sales ended</Badge>
          ) : soldOut ? (
            <Badge tone="danger">Sold out</Badge>
          ) : !onSale ? (
            <Badge tone="neutral">{type.available} tickets</Badge>
          ) : type.available <= 10 ? (
            <Badge tone="warning">Only {type.available} left</Badge>
          ) : (
            <Badge tone="success">{type.available} left</Badge>
          )}
          {!type.transferable && <Badge tone="neutral">Non-transferable</Badge>}
          {type.returnHoursBefore !== null && (
            <Badge tone="neutral">
              {type.returnHoursBefore === 0 ? "Returnable until the start" : `Returnable until ${type.returnHoursBefore} h before`}
            </Badge>
          )}
          {type.saleStatus === "ON_SALE" && type.salesEndAt && (
            <Badge tone="info">Sales end {new Date(type.salesEndAt).toLocaleString("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })}</Badge>
          )}
          {type.inCart > 0 && <Badge tone="brand">{type.inCart} in your cart</Badge>}
        </div>
      </div>
      <div className="type-picker">
        <QuantityPicker
          label={`${type.type} tickets`}
          value={value}
          onChange={onChange}
          max={Math.max(0, max)}
          disabled={disabled || soldOut || stopped}
        />
      </div>
    </li>
  );
}
