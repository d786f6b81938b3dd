import { openApiDocument } from "@/lib/api";
import { VERSION } from "@/lib/runtime/version";

export const GET = () => Response.json(openApiDocument(VERSION));
