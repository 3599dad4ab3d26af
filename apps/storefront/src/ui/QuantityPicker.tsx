import { useId } from "react";

export interface QuantityPickerProps {
  value: number;
  onChange: (value: number) => void;
  /** What is being counted, e.g. "General tickets"; used in the labels screen readers hear. */
  label: string;
  min?: number;
  max: number;
  disabled?: boolean;
  /** Read after the label, e.g. "Up to 4 per order". */
  hint?: string;
}

/** − [n] +, clamped to min..max. The number can be typed as well. */
export function QuantityPicker({ value, onChange, label, min = 0, max, disabled, hint }: QuantityPickerProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const clamp = (n: number) => Math.min(Math.max(Number.isFinite(n) ? Math.trunc(n) : min, min), Math.max(max, min));
  return (
    <div className="qty" role="group" aria-label={label}>
      <button
        type="button"
        className="qty-btn"
        onClick={() => onChange(clamp(value - 1))}
        disabled={disabled || value <= min}
        aria-label={`Fewer ${label}`}
      >
        −
      </button>
      <input
        id={id}
        className="qty-input"
        inputMode="numeric"
        pattern="[0-9]*"
        aria-label={`Number of ${label}`}
        aria-describedby={hint ? hintId : undefined}
        value={value}
        disabled={disabled}
        onChange={(event) => {
          const digits = event.target.value.replace(/\D/g, "");
          onChange(clamp(digits === "" ? min : Number(digits)));
        }}
        onFocus={(event) => event.target.select()}
      />
      <button
        type="button"
        className="qty-btn"
        onClick={() => onChange(clamp(value + 1))}
        disabled={disabled || value >= max}
        aria-label={`More ${label}`}
      >
        +
      </button>
      {hint && (
        <span id={hintId} className="visually-hidden">
          {hint}
        </span>
      )}
    </div>
  );
}
