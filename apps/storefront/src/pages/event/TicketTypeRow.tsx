import type { Outputs } from "../../lib/api-types.ts";
import { describeGroupDiscount, formatUsd, unitPriceFor } from "../../lib/format.ts";
import { Badge, Money, QuantityPicker } from "../../ui/index.ts";

type TicketType = Outputs["event"]["get"]["showings"][number]["types"][number];

interface Props {
  type: TicketType;
  value: number;
  max: number;
  inCart: number;
  onSale: boolean;
  disabled: boolean;
  onChange: (value: number) => void;
}

export function TicketTypeRow({ type, value, max, inCart, onSale, disabled, onChange }: Props) {
  const soldOut = type.available === 0;
  const discounted = value > 0 && type.groupDiscount && value + inCart >= type.groupDiscount.size;
  return (
    <li className="type-row">
      <div className="type-info">
        <p className="type-name">{type.type}</p>
        <p className="type-price">
          <Money amount={type.price} free />
          {discounted && type.groupDiscount && (
            <span className="type-discounted"> · {formatUsd(unitPriceFor(type.price, value + inCart, type.groupDiscount))} each with your group</span>
          )}
        </p>
        {type.groupDiscount && <p className="type-rule">{describeGroupDiscount(type.type, type.groupDiscount)}</p>}
        <div className="type-badges">
          {soldOut ? (
            <Badge tone="danger">Sold out</Badge>
          ) : !onSale ? (
            <Badge tone="neutral">{type.available} tickets</Badge>
          ) : type.available <= 10 ? (
            <Badge tone="warning">Only {type.available} left</Badge>
          ) : (
            <Badge tone="success">{type.available} left</Badge>
          )}
          {!type.transferable && <Badge tone="neutral">Non-transferable</Badge>}
          {inCart > 0 && <Badge tone="brand">{inCart} in your cart</Badge>}
        </div>
      </div>
      <div className="type-picker">
        <QuantityPicker
          label={`${type.type} tickets`}
          value={value}
          onChange={onChange}
          max={Math.max(0, max)}
          disabled={disabled || soldOut}
        />
      </div>
    </li>
  );
}
