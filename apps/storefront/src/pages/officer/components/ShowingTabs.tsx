import { useRef, type KeyboardEvent } from "react";

export const showingTabs = [
  { id: "buyers", label: "Ticket holders" },
  { id: "tickets", label: "Ticket types" },
  { id: "drop", label: "Lobby and waitlist" },
  { id: "issue", label: "Issue tickets" },
  { id: "email", label: "E-mail holders" },
  { id: "door", label: "Door" },
] as const;

export type ShowingTab = (typeof showingTabs)[number]["id"];

export function isShowingTab(value: string | null): value is ShowingTab {
  return showingTabs.some((t) => t.id === value);
}

/**
 * The parts of a showing's page as tabs (WAI-ARIA tabs pattern: one tab stop, arrow keys move between tabs).
 * The chosen tab lives in the address (?tab=), so a reload or a shared link opens the same part.
 */
export function ShowingTabs({ current, onChange }: { current: ShowingTab; onChange: (tab: ShowingTab) => void }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const move = (event: KeyboardEvent, index: number) => {
    const last = showingTabs.length - 1;
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + showingTabs.length) % showingTabs.length;
    onChange(showingTabs[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div className="officer-tabs" role="tablist" aria-label="Manage this showing">
      {showingTabs.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-controls={`panel-${tab.id}`}
          aria-selected={tab.id === current}
          tabIndex={tab.id === current ? 0 : -1}
          className="officer-tab"
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => move(e, i)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
