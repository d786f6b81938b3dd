// The jobs list's filters as a GET form: the URL holds them, so a filtered list can be shared and reloaded.
import Form from "next/form";
import Link from "next/link";
import { JOB_RANGES, type JobSearchValues } from "./search-params";

export function JobFilters({ values, services }: { values: JobSearchValues; services: string[] }) {
  return (
    <Form action="/jobs" className="panel" aria-label="Filter jobs">
      <div className="row">
        <label style={{ flex: "1 1 200px" }}>Job ID prefix or error text<input name="q" defaultValue={values.q} spellCheck={false} /></label>
        <label>Service<input name="service" defaultValue={values.service} list="job-services" style={{ width: 150 }} /></label>
        <datalist id="job-services">{services.map((s) => <option key={s} value={s} />)}</datalist>
        <label>Status
          <select name="status" defaultValue={values.status ?? ""}>
            <option value="">Any</option><option value="failed">Failed</option><option value="succeeded">Succeeded</option><option value="running">Running</option>
          </select>
        </label>
        <label>Attempts ≥<input name="minAttempts" type="number" min={1} defaultValue={values.minAttempts} style={{ width: 80 }} /></label>
        <label>End-to-end ≥ ms<input name="minE2eMs" type="number" min={0} defaultValue={values.minE2eMs} style={{ width: 100 }} /></label>
        <label>≤ ms<input name="maxE2eMs" type="number" min={0} defaultValue={values.maxE2eMs} style={{ width: 100 }} /></label>
        <label>Seen
          <select name="range" defaultValue={values.range ?? ""}>{JOB_RANGES.map((r) => <option key={r.key} value={r.key}>{r.label}</option>)}</select>
        </label>
        <button type="submit" className="primary">Apply</button>
        <Link className="button" href="/jobs">Clear</Link>
      </div>
    </Form>
  );
}
