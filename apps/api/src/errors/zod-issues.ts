import type { z } from "zod";
import type { FieldError } from "./app-error";

/** zod issues → the per-field list the web shows next to each input. */
export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
    code: issue.code,
  }));
}
