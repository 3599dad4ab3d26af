import { describeGroupDiscount, formatUsd } from "../../lib/format.ts";
import { Badge, Button, Money, QuantityPicker } from "../../ui/index.ts";
import type { CartLine } from "./lines.ts";

interface Props {
  line: CartLine;
  busy: boolean;
  onChange: (count: number) => void;
}

export function CartLineRow({ line, busy, onChange }: Props) {
  return (
    <li className="cart-line">
      <div className="cart-line-info">
        <p className="cart-line-type">{line.type}</p>
        <p className="small muted">
          <Money amount={line.price} free /> each
          {line.discounted && line.rule && (
            <>
              {" "}
              · <Badge tone="success">Group discount</Badge>
            </>
          )}
        </p>
        {line.rule && !line.discounted && <p className="small muted">{describeGroupDiscount(line.type, line.rule)}.</p>}
      </div>
      <div className="cart-line-controls">
        <QuantityPicker label={`${line.type} tickets`} value={line.count} onChange={onChange} min={0} max={line.count + 1} disabled={busy} />
        <Button variant="ghost" size="sm" onClick={() => onChange(0)} disabled={busy}>
          Remove
        </Button>
      </div>
      <p className="cart-line-amount">
        {line.discounted && <s className="money money-was">{formatUsd(Number(line.price) * line.count)}</s>}{" "}
        <strong>{line.amount === 0 ? "Free" : formatUsd(line.amount)}</strong>
      </p>
    </li>
  );
}
