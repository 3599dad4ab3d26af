import { Button, TextField } from "../../../ui/index.ts";
import type { OfferingRow } from "../lib/offering-rows.ts";

export interface OfferingFieldsProps {
  row: OfferingRow;
  index: number;
  onChange: (row: OfferingRow) => void;
  onRemove?: () => void;
  /** Errors keyed by field name (type, count, price, groupDiscount, groupSize). */
  errors: Record<string, string | undefined>;
  legend: string;
}

/** One ticket type: name, how many, price, group discount and the two switches. */
export function OfferingFields({ row, index, onChange, onRemove, errors, legend }: OfferingFieldsProps) {
  const set = <K extends keyof OfferingRow>(key: K, value: OfferingRow[K]) => onChange({ ...row, [key]: value });
  const n = index + 1;
  return (
    <fieldset className="offering" data-testid={`offering-${n}`}>
      <legend className="offering-legend">{legend}</legend>
      <div className="offering-grid">
        <TextField label="Type name" hint="e.g. General, Front Row" value={row.type} onChange={(e) => set("type", e.target.value)} error={errors.type} maxLength={60} />
        <TextField label="Number of tickets" hint="How many to sell" type="number" inputMode="numeric" min={1} value={row.count} onChange={(e) => set("count", e.target.value)} error={errors.count} />
        <TextField label="Price in dollars" hint="0 for free tickets" inputMode="decimal" value={row.price} onChange={(e) => set("price", e.target.value)} error={errors.price} />
        <TextField
          label="Group discount (%)"
          hint="Optional, off each ticket of a group"
          inputMode="decimal"
          value={row.discountPercent}
          onChange={(e) => set("discountPercent", e.target.value)}
          error={errors.groupDiscount}
        />
        <TextField
          label="Group size"
          hint="How many bought together get it"
          type="number"
          inputMode="numeric"
          min={2}
          value={row.groupSize}
          onChange={(e) => set("groupSize", e.target.value)}
          error={errors.groupSize}
        />
      </div>
      <div className="offering-switches">
        <label className="officer-check">
          <input type="checkbox" checked={row.transferable} onChange={(e) => set("transferable", e.target.checked)} />
          <span>
            Transferable <span className="muted small">(owners may give the ticket to someone else)</span>
          </span>
        </label>
        <label className="officer-check">
          <input type="checkbox" checked={row.buyable} onChange={(e) => set("buyable", e.target.checked)} />
          <span>
            On sale <span className="muted small">(untick to keep these for issuing by hand)</span>
          </span>
        </label>
        {onRemove && (
          <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove ${row.type.trim() || `ticket type ${n}`}`}>
            Remove
          </Button>
        )}
      </div>
    </fieldset>
  );
}
