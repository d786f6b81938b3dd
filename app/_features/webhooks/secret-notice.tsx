"use client";
// A signing secret shown once, after an endpoint is created or its secret rotated.
import { useState, type ReactNode } from "react";

export function SecretNotice({ title, secret, onDone }: { title: ReactNode; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    // The clipboard API needs a secure context; over plain HTTP the user copies the text by hand.
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div className="secret" role="status">
      <strong>{title}</strong> Copy its signing secret now: it is shown only once. Receivers verify the
      <code style={{ wordBreak: "normal" }}> webhook-signature</code> header with it.
      <div style={{ marginTop: 8 }}><code data-testid="new-webhook-secret">{secret}</code></div>
      <div className="row" style={{ marginTop: 8, gap: 6 }}>
        <button type="button" onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</button>
        <button type="button" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}
