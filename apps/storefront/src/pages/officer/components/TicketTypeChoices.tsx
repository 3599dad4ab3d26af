import { useId } from "react";

interface Props {
  /** The ticket types of the door's showings. */
  types: readonly string[];
  chosen: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
  error?: string | undefined;
}

/** Which ticket types a door admits; none ticked means every type (an ordinary door). */
export function TicketTypeChoices({ types, chosen, onChange, error }: Props) {
  const id = useId();
  const toggle = (type: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    onChange(next);
  };
  return (
    <fieldset className="officer-choices" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}>
      <legend className="field-label">Ticket types it admits</legend>
      <p className="field-hint" id={`${id}-hint`}>
        Tick types to make this a door for them only (a VIP door): other tickets are told which door to go to. Tick
        none to admit every type.
      </p>
      {types.length === 0 && <p className="muted small">These showings have no ticket types yet.</p>}
      {types.map((type) => (
        <label key={type} className="officer-check">
          <input type="checkbox" checked={chosen.has(type)} onChange={(e) => toggle(type, e.target.checked)} />
          <span>{type}</span>
        </label>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The ticket types of some of the club's showings, in the order they are first listed. */
export function typesOfShowings(events: ReadonlyArray<{ showings: ReadonlyArray<{ id: number; types: ReadonlyArray<{ type: string }> }> }>, showingIds: ReadonlySet<number>): string[] {
  const out = new Set<string>();
  for (const event of events) for (const s of event.showings) if (showingIds.has(s.id)) for (const t of s.types) out.add(t.type);
  return [...out];
}
