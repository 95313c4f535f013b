import type { FastifyReply } from "fastify";
import type { z } from "zod";
import { bad } from "./control-request.js";

/** What zod keeps about a schema, as far as finding an object's keys needs it. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The object schemas that can stand at `path` (wrappers, arrays, records and unions looked through). */
function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): Array<Record<string, z.ZodType>> {
  const def = defOf(schema);
  if (def.innerType) return objectsAt(def.innerType, path);
  // A preprocessed schema is a pipe out of a transform, a transformed one a pipe into one.
  if (def.type === "pipe" && def.in && def.out)
    return [...objectsAt(def.in, path), ...objectsAt(def.out, path)];
  if (def.type === "union" && def.options) return def.options.flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return def.type === "object" && def.shape ? [def.shape] : [];
  const [head, ...rest] = path;
  if (def.type === "object" && def.shape) {
    const field = def.shape[String(head)];
    return field ? objectsAt(field, rest) : [];
  }
  const next = def.type === "array" ? def.element : def.type === "record" ? def.valueType : undefined;
  return next ? objectsAt(next, rest) : [];
}

/**
 * Every problem of a refused body in one line, each naming its field: a key the
 * schema does not know with the keys it does, a wrong value with what it takes.
 */
export function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  noun = "field",
): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join(".");
      // A record's key that fails says why in its own issue (e.g. "an entity type id").
      if (issue.code === "invalid_key") return `${where}: ${issue.issues[0]?.message ?? issue.message}`;
      if (issue.code !== "unrecognized_keys")
        // A rule about the whole body (a refinement) speaks for itself.
        return where || issue.code === "custom"
          ? `${where ? `${where}: ` : ""}${issue.message}`
          : `body: ${issue.message}`;
      const known = [...new Set(objectsAt(schema, issue.path).flatMap((shape) => Object.keys(shape)))];
      const unknown = `unknown ${noun}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
      const list = known.length > 0 ? ` (known: ${known.join(", ")})` : " (it takes none)";
      return `${where ? `${where}: ` : ""}${unknown}${list}`;
    })
    .join("; ");
}

/**
 * A control-API body checked against its schema before anything changes: the
 * parsed value, or undefined once a 400 naming the problems has been sent.
 * A body that is absent reads as `{}`.
 */
export function readBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  reply: FastifyReply,
): z.output<S> | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  bad(reply, 400, describeIssues(schema, parsed.error.issues));
  return undefined;
}
