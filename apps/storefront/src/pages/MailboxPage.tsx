import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { appCodeOf } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useTRPC } from "../lib/trpc.ts";
import { EmptyState, ErrorState, PageHeader, SkeletonList } from "../ui/index.ts";
import { MailMessage } from "./mailbox/MailMessage.tsx";

/**
 * The development mailbox: while the server has no SMTP server, the e-mails it would have sent (receipts with QR
 * codes, transfer notices) are kept and shown here.
 */
export function MailboxPage() {
  const trpc = useTRPC();
  const messageId = useParams().messageId ?? null;
  const list = useQuery({ ...trpc.mailbox.list.queryOptions({ limit: 100 }), refetchInterval: 15_000 });

  if (list.isError && appCodeOf(list.error) === "NOT_FOUND") {
    return (
      <>
        <PageHeader title="Mailbox" />
        <EmptyState icon="mail" title="E-mail goes to real inboxes on this server">
          The development mailbox is only on while no mail server is set up. Check your e-mail instead.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Mailbox"
        description="This server doesn't send real e-mail yet. Messages addressed to you are kept here instead."
      />
      <div className={`mailbox${messageId ? " mailbox-reading" : ""}`}>
        <nav className="mailbox-list" aria-label="Messages">
          {list.isPending ? (
            <SkeletonList count={4} height="4rem" label="Loading messages" />
          ) : list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Messages didn't load" />
          ) : list.data.length === 0 ? (
            <EmptyState icon="mail" title="No messages yet">
              Receipts and transfer notices arrive here.
            </EmptyState>
          ) : (
            <ul className="plain">
              {list.data.map((m) => (
                <li key={m.id}>
                  <Link
                    to={`/mailbox/${m.id}`}
                    className="mail-item"
                    aria-current={m.id === messageId ? "page" : undefined}
                  >
                    <span className="mail-item-subject">{m.subject}</span>
                    <span className="mail-item-meta">
                      {formatDateTime(m.sentAt)} · to {m.to}
                      {m.attachmentCount > 0 ? ` · ${m.attachmentCount} attachment${m.attachmentCount === 1 ? "" : "s"}` : ""}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div className="mailbox-view">
          {messageId ? (
            <MailMessage id={messageId} />
          ) : (
            <p className="muted mailbox-hint">Choose a message to read it.</p>
          )}
        </div>
      </div>
    </>
  );
}
