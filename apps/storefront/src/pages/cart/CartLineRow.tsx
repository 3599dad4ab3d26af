import { describeGroupQuote, formatUsd, isFree } from "../../lib/format.ts";
import { Badge, Button, Money, QuantityPicker } from "../../ui/index.ts";
import type { CartLine } from "./lines.ts";

interface Props {
  line: CartLine;
  /** Whether the order limit allows one more of this showing. */
  canAddMore: boolean;
  busy: boolean;
  onChange: (count: number) => void;
}

export function CartLineRow({ line, canAddMore, busy, onChange }: Props) {
  const discounted = !isFree(line.discount);
  const quote = line.group_quote;
  return (
    <li className="cart-line">
      <div className="cart-line-info">
        <p className="cart-line-type">{line.type}</p>
        <p className="small muted">
          {discounted && (
            <>
              <Money amount={line.list_price} was />{" "}
            </>
          )}
          <Money amount={line.unit_price} free /> each
          {discounted && (
            <>
              {" "}
              · <Badge tone="success">Group discount</Badge>
            </>
          )}
        </p>
        {quote && !discounted && (
          <p className="small muted">
            {describeGroupQuote(line.type, { size: quote.size, percentOff: quote.percent_off, unitPrice: quote.unit_price })}.
          </p>
        )}
      </div>
      <div className="cart-line-controls">
        <QuantityPicker
          label={`${line.type} tickets`}
          value={line.count}
          onChange={onChange}
          min={0}
          max={canAddMore ? line.count + 1 : line.count}
          disabled={busy}
        />
        <Button variant="ghost" size="sm" onClick={() => onChange(0)} disabled={busy}>
          Remove
        </Button>
      </div>
      <p className="cart-line-amount">
        {discounted && <span className="small muted">saves {formatUsd(line.discount)} </span>}
        <strong>{isFree(line.amount) ? "Free" : formatUsd(line.amount)}</strong>
      </p>
    </li>
  );
}
