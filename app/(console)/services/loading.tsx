// Shown while the services list reads its rollups.
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading services…</h2>
    </section>
  );
}
