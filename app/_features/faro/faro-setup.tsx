// Renders the console's Faro settings into every page at request time, so TAILGUARD_FARO_URL applies without a rebuild.
import { connection } from "next/server";
import { faroClientConfig } from "@/lib/faro";
import { getAppContext } from "@/lib/context/app-context";
import { VERSION } from "@/lib/runtime/version";
import { ConsoleFaro } from "./console-faro";

export async function FaroSetup() {
  await connection();
  const config = faroClientConfig(getAppContext().config, VERSION);
  return config ? <ConsoleFaro config={config} /> : null;
}
