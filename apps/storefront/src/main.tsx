import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { watchCartNotices } from "./lib/cart-notices.ts";
import { queryClient, TRPCProvider, trpcClient } from "./lib/trpc.ts";
import { AnnouncerProvider } from "./ui/Announcer.tsx";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/controls.css";
import "./styles/feedback.css";
import "./styles/content.css";
import "./styles/layout.css";
import "./styles/page-events.css";
import "./styles/page-cart.css";
import "./styles/page-tickets.css";
import "./styles/page-account.css";
import "./styles/page-lobby.css";

watchCartNotices(queryClient);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <AnnouncerProvider>
          <App />
        </AnnouncerProvider>
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
