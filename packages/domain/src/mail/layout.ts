import { TICKET_QR_SIDE } from "../tickets/qr-image.ts";

/** One plain, readable layout for every message we send: a title, paragraphs, optional inline images and a button. */
export interface EmailContent {
  title: string;
  paragraphs: string[];
  /** Inline images referenced by Content-ID (see MailAttachment.cid), each with a caption: ticket QR codes, shown at their natural size. */
  images?: Array<{ cid: string; alt: string; caption?: string }>;
  action?: { label: string; url: string };
}

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function renderEmail(content: EmailContent): { text: string; html: string } {
  const text = [
    content.title,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    "Admit, tickets for student clubs",
  ].join("\n");
  const html = `<!doctype html><html><body style="margin:0;background:#f4f6f9;font-family:system-ui,sans-serif;color:#15202b">
<div style="max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escape(content.title)}</h1>
${content.paragraphs.map((p) => `<p style="line-height:1.5;margin:0 0 12px">${escape(p)}</p>`).join("\n")}
${(content.images ?? [])
  .map(
    (img) =>
      `<figure style="margin:16px 0;text-align:center"><img src="cid:${escape(img.cid)}" alt="${escape(img.alt)}" width="${TICKET_QR_SIDE}" height="${TICKET_QR_SIDE}" style="max-width:100%;height:auto;image-rendering:pixelated"/>${img.caption ? `<figcaption style="font-size:14px;color:#5b6b7b">${escape(img.caption)}</figcaption>` : ""}</figure>`,
  )
  .join("\n")}
${content.action ? `<p><a href="${escape(content.action.url)}" style="display:inline-block;background:#1f3a5f;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">${escape(content.action.label)}</a></p>` : ""}
<p style="font-size:12px;color:#5b6b7b;margin-top:24px">Admit, tickets for student clubs</p>
</div></body></html>`;
  return { text, html };
}
