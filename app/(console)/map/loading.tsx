// Shown while the map reads its rollups and lays itself out.
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading the service map…</h2>
    </section>
  );
}
