import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { listenForUnlock } from "./scan/sounds.ts";
import "./styles.css";

// Any tap or key press, from the pairing screen on, turns the sound on (browsers allow it only from one).
listenForUnlock();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
