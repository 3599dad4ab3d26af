import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { formatDateTime } from "../../lib/format.ts";
import { useTRPC } from "../../lib/trpc.ts";
import { Card, ErrorState, SkeletonText } from "../../ui/index.ts";

export function MailMessage({ id }: { id: string }) {
  const trpc = useTRPC();
  const message = useQuery(trpc.mailbox.get.queryOptions({ id }));
  const frame = useRef<HTMLIFrameElement>(null);
  // The message is shown at its full height, so the page scrolls rather than a box inside it.
  const fitFrame = () => {
    const doc = frame.current?.contentDocument;
    if (frame.current && doc) frame.current.style.height = `${doc.documentElement.scrollHeight + 2}px`;
  };
  useEffect(() => {
    window.addEventListener("resize", fitFrame);
    return () => window.removeEventListener("resize", fitFrame);
  }, []);
  if (message.isPending) {
    return (
      <Card>
        <SkeletonText lines={6} />
      </Card>
    );
  }
  if (message.isError) return <ErrorState error={message.error} onRetry={() => void message.refetch()} title="This message didn't load" />;
  const m = message.data;
  return (
    <Card as="article" aria-labelledby="mail-subject" className="mail-message">
      <Link to="/mailbox" className="mail-back small">
        ‹ All messages
      </Link>
      <h2 id="mail-subject" className="card-title">
        {m.subject}
      </h2>
      <p className="small muted">
        To {m.to} · {formatDateTime(m.sentAt)}
      </p>
      {m.previewHtml ? (
        // No scripts run in the frame; same-origin lets its QR images load with the reader's session, and links open
        // in a new tab rather than inside the frame.
        <iframe
          ref={frame}
          className="mail-frame"
          title={`Message: ${m.subject}`}
          sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
          srcDoc={`<base target="_blank">${m.previewHtml}`}
          onLoad={fitFrame}
        />
      ) : (
        <pre className="mail-text">{m.text}</pre>
      )}
      {m.attachments.length > 0 && (
        <div className="stack-sm">
          <h3 className="small">Attachments</h3>
          <ul className="plain mail-attachments">
            {m.attachments.map((a) => (
              <li key={a.index}>
                <a href={a.path} target="_blank" rel="noreferrer">
                  {a.filename}
                </a>{" "}
                <span className="small muted">({a.contentType})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
