import { openApiDocument } from "@/lib/api/openapi";
import { VERSION } from "@/lib/runtime/version";

export const GET = () => Response.json(openApiDocument(VERSION));
