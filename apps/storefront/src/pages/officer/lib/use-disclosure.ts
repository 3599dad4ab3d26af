import { useCallback, useState } from "react";

/**
 * Open/closed state for a dialog, plus a key that changes on every opening: giving the dialog that key starts its
 * form fresh each time, while closing keeps it mounted so the native dialog can hand focus back to its opener.
 */
export function useDisclosure() {
  const [state, setState] = useState({ open: false, key: 0 });
  const show = useCallback(() => setState((s) => ({ open: true, key: s.key + 1 })), []);
  const hide = useCallback(() => setState((s) => ({ ...s, open: false })), []);
  return { open: state.open, key: state.key, show, hide };
}
