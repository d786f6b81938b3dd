// Tailguard's own Faro-compatible receiver: the console (and any listed origin) sends browser telemetry here.
import { faroReceiverFor } from "@/lib/faro";
import { getAppContext } from "@/lib/context/app-context";

export const POST = (req: Request) => faroReceiverFor(getAppContext()).receive(req);
export const OPTIONS = (req: Request) => faroReceiverFor(getAppContext()).preflight(req);
