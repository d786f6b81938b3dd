// Shown while one job's spans are read across its traces.
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading job…</h2>
    </section>
  );
}
