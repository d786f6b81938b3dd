// Shown while the trace's spans are read.
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading trace…</h2>
    </section>
  );
}
