/** HTML of the development payment sandbox: the hosted payment page and the auto-submitting result form. */

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The pages' only style sheet and script, inline: the Content-Security-Policy allows exactly these by hash. */
export const SANDBOX_PAGE_STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #15202b; background: #f4f6f9; }
body { margin: 0; }
main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
.badge { display: inline-block; background: #fff4d6; color: #5c4300; border: 1px solid #e0b84c; border-radius: 999px; padding: .2rem .7rem; font-size: .875rem; margin: 0 0 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; margin: 0 0 1.5rem; }
dt { color: #4a5868; } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; }
button { font: inherit; padding: .65rem 1.1rem; border-radius: 8px; border: 1px solid #1f3a5f; background: #fff; color: #1f3a5f; cursor: pointer; }
button.primary { background: #1f3a5f; color: #fff; }
button:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
details { margin-top: 1.25rem; } summary { cursor: pointer; color: #1f3a5f; }
details .actions { margin-top: .75rem; }
`;

export const SANDBOX_AUTO_SUBMIT_SCRIPT = `document.getElementById("payment-result").submit();`;

function page(title: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${SANDBOX_PAGE_STYLE}</style></head>
<body><main>${body}</main>${script}</body></html>`;
}

function hiddenInputs(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join("\n");
}

function money(amount: string, currency: string): string {
  return currency === "USD" ? `$${amount}` : `${amount} ${currency}`;
}

/** The hosted payment page: what is paid and for what, and one button per outcome. */
export function paymentPage(request: Record<string, string>, decideUrl: string): string {
  const amount = money(request.amount ?? "", request.currency ?? "");
  const name = [request.bill_to_forename, request.bill_to_surname].filter(Boolean).join(" ");
  return page(
    `Pay ${amount}: payment sandbox`,
    `<p class="badge">Development sandbox: no real card is charged</p>
<h1>Pay ${escape(amount)}</h1>
<dl>
<dt>Amount</dt><dd>${escape(amount)} ${escape(request.currency ?? "")}</dd>
<dt>Reference</dt><dd>${escape(request.reference_number ?? "")}</dd>
${name ? `<dt>Name</dt><dd>${escape(name)}</dd>` : ""}
${request.bill_to_email ? `<dt>E-mail</dt><dd>${escape(request.bill_to_email)}</dd>` : ""}
</dl>
<form method="post" action="${escape(decideUrl)}" accept-charset="utf-8">
${hiddenInputs(request)}
<div class="actions">
<button type="submit" class="primary" name="sandbox_decision" value="pay">Pay ${escape(amount)}</button>
<button type="submit" name="sandbox_decision" value="decline">Decline the card</button>
<button type="submit" name="sandbox_decision" value="cancel">Cancel</button>
</div>
<details><summary>More test outcomes</summary>
<div class="actions">
<button type="submit" name="sandbox_decision" value="review">Hold for review</button>
<button type="submit" name="sandbox_decision" value="error">Processing error</button>
</div>
</details>
</form>`,
  );
}

/** Sends the browser on with the signed result, as the real hosted page does (a form POST, never a redirect). */
export function replyRedirectPage(action: string, reply: Record<string, string>): string {
  return page(
    "Returning you to the shop",
    `<h1>Returning you to the shop…</h1>
<form id="payment-result" method="post" action="${escape(action)}" accept-charset="utf-8">
${hiddenInputs(reply)}
<p>If nothing happens, press Continue.</p>
<button type="submit" class="primary">Continue</button>
</form>`,
    `<script>${SANDBOX_AUTO_SUBMIT_SCRIPT}</script>`,
  );
}
