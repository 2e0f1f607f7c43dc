import type { Hook } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import type { z } from "@hono/zod-openapi";
import { AppError } from "../lib/errors";

export interface FieldIssue {
  field: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.join(", ");
      return { field: [path, ...issue.keys].filter(Boolean).join(".") || keys, message: `unknown field: ${keys}` };
    }
    return { field: path || "(body)", message: issue.message };
  });
}

/** The one validator wrapper: every zod failure on any route becomes 400 VALIDATION_ERROR naming the fields. */
export const throwOnInvalid: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issues = issuesOf(result.error);
  const where = result.target === "json" ? "body" : result.target;
  const fields = issues.map((i) => i.field).join(", ");
  throw new AppError("VALIDATION_ERROR", `Invalid ${where}: ${fields}`, issues);
};
