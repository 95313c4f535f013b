import type { CallContext, MethodDef, MethodRegistry } from "../../calls/method-def.js";
import { scopeGranted } from "../../calls/method-def.js";

/*
 * REST 3.0's own documentation (api-reference/rest-v3.md, "OpenAPI documentation"):
 * `rest.documentation.openapi`, alias `documentation`, answers an OpenAPI 3.0 description
 * of the REST 3.0 methods this portal offers — here, those the emulator implements —
 * with `paths` per method and tags per module. `rest.scope.list` maps methods to scopes.
 */

function openapi(registry: MethodRegistry): Record<string, unknown> {
  const methods = registry
    .all()
    .filter((def) => !def.name.startsWith("rest.") && def.name !== "documentation");
  const tags = [...new Set(methods.map((def) => def.name.split(".")[0]!))].sort();
  const paths: Record<string, unknown> = {};
  for (const def of methods.sort((a, b) => a.name.localeCompare(b.name))) {
    const tag = def.name.split(".")[0]!;
    paths[`/${def.name}`] = {
      post: {
        tags: [tag],
        operationId: def.name,
        summary: def.name,
        security: [{ scope: [def.scope] }],
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: {
          "200": {
            description: "Success",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { result: { type: "object" }, time: { $ref: "#/components/schemas/Time" } },
                },
              },
            },
          },
          "400": { $ref: "#/components/responses/Error" },
          "403": { $ref: "#/components/responses/Error" },
        },
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Bitrix24 REST V3 API", version: "1.0.0" },
    tags: tags.map((name) => ({ name, description: `${name} module methods` })),
    paths,
    components: {
      schemas: {
        Time: { type: "object" },
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                validation: { type: "array", items: { type: "object" } },
              },
            },
          },
        },
      },
      responses: {
        Error: {
          description: "Error",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}

function documentation(ctx: CallContext) {
  return { result: openapi(ctx.registry) };
}

export const documentationV3Methods: MethodDef[] = [
  { name: "rest.documentation.openapi", scope: "basic", run: documentation },
  { name: "documentation", scope: "basic", run: documentation },
  {
    name: "rest.scope.list",
    scope: "basic",
    run: (ctx) => ({
      result: {
        items: ctx.registry
          .all()
          .filter((def) => scopeGranted(def, new Set([def.scope])))
          .map((def) => ({ method: def.name, scope: def.scope })),
      },
    }),
  },
];
