// Request and response shapes of the sample API; one zod schema per edge gives validation and types.
import { z } from "zod";

// PostgreSQL text and jsonb hold neither NUL nor a lone UTF-16 surrogate: refuse them here as a 400,
// not later as a failed INSERT.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = (maxLength: number) =>
  z
    .string()
    .min(1)
    .max(maxLength)
    .regex(/^[^\u0000]*$/, "must not contain NUL characters")
    .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (no lone surrogates)");

export const JobPayloadSchema = z
  .object({
    prompt: text(4000),
    model: text(100).default("sample-diffusion-xl"),
    steps: z.number().int().min(1).max(200).default(30),
    // Test and demo hooks: fail the first N attempts transiently, or always (a poison job).
    simulate: z
      .object({ transientFailures: z.number().int().min(0).max(20).optional(), permanentFailure: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type JobPayload = z.infer<typeof JobPayloadSchema>;

export const CreateJobRequestSchema = JobPayloadSchema.extend({ user_id: z.uuid().optional() }).strict();
export type CreateJobRequest = z.infer<typeof CreateJobRequestSchema>;

export const JobStatusSchema = z.enum(["queued", "running", "retrying", "succeeded", "dead"]);

export const CreateJobResponseSchema = z
  .object({ job_id: z.uuid(), status: JobStatusSchema, status_url: z.string(), result_uri: z.string().nullable(), replayed: z.boolean() })
  .strict();
export type CreateJobResponse = z.infer<typeof CreateJobResponseSchema>;

export const JobResponseSchema = z
  .object({
    job_id: z.uuid(),
    user_id: z.uuid(),
    status: JobStatusSchema,
    attempts: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    result_uri: z.string().nullable(),
  })
  .strict();
export type JobResponse = z.infer<typeof JobResponseSchema>;

export const ErrorResponseSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).strict() }).strict();
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** The cache key of a request: what determines its result (not who asked, not test hooks). */
export function inferenceInput(payload: JobPayload): { prompt: string; model: string; steps: number } {
  return { prompt: payload.prompt, model: payload.model, steps: payload.steps };
}
