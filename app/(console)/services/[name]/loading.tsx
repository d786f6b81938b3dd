// Shown while the service page reads its rollups (on first load and when the range changes).
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading service figures…</h2>
      <p className="muted">Reading request rate, errors and latency for the selected range.</p>
    </section>
  );
}
