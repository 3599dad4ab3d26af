import { useRegisterSW } from "virtual:pwa-register/react";

/**
 * A new version of the kiosk is offered, never forced: reloading in the middle of a queue at the door is the
 * operator's call (nothing is lost either way: every scan is stored before its verdict shows).
 */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW();
  if (!needRefresh) return null;
  return (
    <div className="update" role="status">
      A new version of the kiosk is ready.
      <button type="button" onClick={() => void updateServiceWorker(true)}>
        Update now
      </button>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        Later
      </button>
    </div>
  );
}
