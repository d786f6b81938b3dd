import { SloForm } from "../../../_features/slos/slo-form";

export default function NewSloPage() {
  return (
    <>
      <h1>New SLO</h1>
      <p className="lead">Define what good service means, how much failure the budget allows, and over which window.</p>
      <SloForm />
    </>
  );
}
