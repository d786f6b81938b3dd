import { notFound } from "next/navigation";
import { getAppContext } from "@/lib/context/app-context";
import { ThrowOnPurpose } from "../../../_features/faro/throw-on-purpose";

export const dynamic = "force-dynamic";

// A test-only page (TAILGUARD_TEST_PAGES, on outside production): its error should arrive as the console's own telemetry.
export default function FaroErrorPage() {
  if (!getAppContext().config.testPages) notFound();
  return (
    <>
      <h1>Faro test: an error on purpose</h1>
      <p className="lead">
        This page throws an uncaught JavaScript error once it has rendered. Leave it and the page view is reported with the
        error; the error itself appears as an <span className="mono">exception</span> span of the <span className="mono">console</span> service.
      </p>
      <ThrowOnPurpose />
    </>
  );
}
