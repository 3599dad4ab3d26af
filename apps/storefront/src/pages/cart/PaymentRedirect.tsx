import { useEffect, useRef } from "react";

export interface PaymentForm {
  url: string;
  params: Record<string, string>;
}

/**
 * The hosted payment page takes the signed fields as a form POST (never a redirect with a query string), so the
 * browser submits a hidden form once; the visible button is there in case scripts are slow or blocked.
 */
export function PaymentRedirect({ form }: { form: PaymentForm }) {
  const ref = useRef<HTMLFormElement>(null);
  const submitted = useRef(false);
  useEffect(() => {
    if (submitted.current) return;
    submitted.current = true;
    ref.current?.submit();
  }, []);
  return (
    <form ref={ref} method="POST" action={form.url} acceptCharset="utf-8" className="payment-redirect">
      {Object.entries(form.params).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p className="small">Taking you to the secure payment page…</p>
      <button type="submit" className="btn btn-secondary btn-sm">
        Continue to payment
      </button>
    </form>
  );
}
