import { TICKET_CODE_PREFIX } from "@admit/ticket-codes";
import { useEffect, useState, type FormEvent } from "react";
import type { Kiosk } from "../kiosk.ts";
import { isInside } from "@admit/door";
import { MAX_HITS, MIN_QUERY, type SearchHit } from "../search.ts";
import { clockTime } from "./format.ts";

interface Props {
  kiosk: Kiosk;
  /** A hand scanner typed into the search field: treat it as a scan. */
  onCode: (text: string) => void;
  onAdmit: (ticketId: string) => void;
  /** Bumped after every scan so the list shows current check-in states. */
  revision: number;
}

function stateOf(hit: SearchHit): string {
  if (!hit.valid) return "Refunded or cancelled";
  if (hit.attended && hit.exitedAt) return `Left at ${clockTime(hit.exitedAt)}: can come back in`;
  if (hit.attended) return `In since ${clockTime(hit.attendedAt)}${hit.attendedDoor ? ` (${hit.attendedDoor})` : ""}`;
  return "Not in yet";
}

/** Manual check-in: find a guest by name (offline, accents ignored) or by the start of the ticket id. */
export function SearchPanel({ kiosk, onCode, onAdmit, revision }: Props) {
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[]>([]);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void kiosk.search(query).then((found) => current && setHits(found));
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [kiosk, query, revision]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (query.trim().startsWith(TICKET_CODE_PREFIX)) {
      onCode(query.trim());
      setQuery("");
    }
  };

  return (
    <section className="search" aria-labelledby="search-title">
      <h2 id="search-title">Find a guest</h2>
      <form onSubmit={submit} role="search">
        <label htmlFor="search-input" className="visually-hidden">
          Name or ticket id
        </label>
        <input
          id="search-input"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Name or ticket id"
          autoComplete="off"
          spellCheck={false}
        />
      </form>
      {query.trim().length < MIN_QUERY && <p className="empty">Type at least {MIN_QUERY} letters of the name, or the start of the ticket id.</p>}
      {query.trim().length >= MIN_QUERY && !hits.length && <p className="empty">Nobody found.</p>}
      {hits.length === MAX_HITS && <p className="empty">Showing the first {MAX_HITS} matches: type more of the name.</p>}
      <ul className="hits">
        {hits.map((hit) => (
          <li key={hit.id}>
            <span>
              <strong>{hit.holderName || "No name"}</strong> · {hit.type}
              <br />
              <small>{stateOf(hit)}</small>
            </span>
            <button type="button" disabled={!hit.valid || isInside(hit)} onClick={() => onAdmit(hit.id)}>
              Check in
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
