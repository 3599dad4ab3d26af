import { useFormContext } from "react-hook-form";
import { Button, TextField } from "../../../ui/index.ts";
import type { OfferingRow } from "../lib/offering-rows.ts";

export interface OfferingFieldsProps {
  /** Where the row sits in the form, e.g. `offerings.2`: also where the server's issues about it point. */
  name: string;
  index: number;
  onRemove?: () => void;
  legend: string;
}

/** One ticket type: name, how many, price, group discount and the three switches, registered with the enclosing form. */
export function OfferingFields({ name, index, onRemove, legend }: OfferingFieldsProps) {
  const { register, formState, getFieldState, watch } = useFormContext();
  const field = (key: keyof OfferingRow) => `${name}.${key}`;
  const error = (key: keyof OfferingRow) => getFieldState(field(key), formState).error?.message;
  const typeName = String(watch(field("type")) ?? "").trim();
  const n = index + 1;
  return (
    <fieldset className="offering" data-testid={`offering-${n}`}>
      <legend className="offering-legend">{legend}</legend>
      <div className="offering-grid">
        <TextField label="Type name" hint="e.g. General, Front Row" {...register(field("type"))} error={error("type")} maxLength={60} />
        <TextField label="Number of tickets" hint="How many to sell" type="number" inputMode="numeric" min={1} {...register(field("count"))} error={error("count")} />
        <TextField label="Price in dollars" hint="0 for free tickets" inputMode="decimal" {...register(field("price"))} error={error("price")} />
        <TextField
          label="Group discount (%)"
          hint="Optional, off each ticket of a group"
          inputMode="decimal"
          {...register(field("groupDiscount"))}
          error={error("groupDiscount")}
        />
        <TextField
          label="Group size"
          hint="How many bought together get it"
          type="number"
          inputMode="numeric"
          min={2}
          {...register(field("groupSize"))}
          error={error("groupSize")}
        />
      </div>
      <div className="offering-switches">
        <label className="officer-check">
          <input type="checkbox" {...register(field("transferable"))} />
          <span>
            Transferable <span className="muted small">(owners may give the ticket to someone else)</span>
          </span>
        </label>
        <label className="officer-check">
          <input type="checkbox" {...register(field("buyable"))} />
          <span>
            On sale <span className="muted small">(untick to keep these for issuing by hand)</span>
          </span>
        </label>
        <label className="officer-check">
          <input type="checkbox" {...register(field("exchangeAllowed"))} />
          <span>
            Allow exchange <span className="muted small">(holders who can't go may offer it at face value to the waitlist)</span>
          </span>
        </label>
        {onRemove && (
          <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove ${typeName || `ticket type ${n}`}`}>
            Remove
          </Button>
        )}
      </div>
    </fieldset>
  );
}
