import { useFormContext } from "react-hook-form";
import { describeGroupDiscount, formatPrice } from "../../../lib/format.ts";
import { Badge, Card, Field, Input } from "../../../ui/index.ts";
import type { ShowingType } from "../lib/club-events.ts";

/** A ticket type already on sale: its numbers and rules, and a box for how many more to add (registered at `name`). */
export function CurrentTypeCard({ type: t, name }: { type: ShowingType; name: string }) {
  const { register, formState, getFieldState } = useFormContext();
  const error = getFieldState(name, formState).error?.message;
  return (
    <Card as="li" className="stack-sm type-card">
      <div className="type-card-head">
        <h3 className="type-card-name">{t.type}</h3>
        <strong>{formatPrice(t.price)}</strong>
      </div>
      <p className="muted small">
        {t.total} listed · {t.sold} sold{t.onExchange > 0 && ` (${t.onExchange} on the exchange)`} · {t.held} held · {t.available} available
      </p>
      <span className="type-rules">
        {t.groupDiscount && Number(t.groupDiscount.fraction) > 0 && <span className="small">{describeGroupDiscount(t.type, t.groupDiscount)}</span>}
        {!t.transferable && <Badge tone="neutral">Not transferable</Badge>}
        {!t.buyable && <Badge tone="info">Issued by hand</Badge>}
      </span>
      <Field label={`Add more ${t.type} tickets`} error={error}>
        {(control) => <Input {...control} {...register(name)} className="officer-count" type="number" inputMode="numeric" min={1} />}
      </Field>
    </Card>
  );
}
