"use client";
// Throws an uncaught JavaScript error after the page has rendered (and again on request), for testing that the
// console's own error reporting works end to end.
import { useEffect, useState } from "react";

const TEST_ERROR_MESSAGE = "Tailguard test page: an error thrown on purpose";

function throwSoon(n: number) {
  // Outside React's render and handlers, so it reaches window.onerror as a real uncaught error would.
  return setTimeout(() => {
    throw new Error(`${TEST_ERROR_MESSAGE} (#${n})`);
  }, 0);
}

export function ThrowOnPurpose() {
  const [thrown, setThrown] = useState(0);
  useEffect(() => {
    const timer = throwSoon(1);
    setThrown(1);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div className="panel">
      <p data-testid="thrown-count">Errors thrown on this page: {thrown}</p>
      <button type="button" onClick={() => { throwSoon(thrown + 1); setThrown(thrown + 1); }}>
        Throw another error
      </button>
    </div>
  );
}
