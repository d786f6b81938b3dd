// Shown while the job index is read.
export default function Loading() {
  return (
    <section className="panel" aria-busy="true" aria-label="Loading">
      <h2 style={{ marginTop: 0 }}>Loading jobs…</h2>
    </section>
  );
}
