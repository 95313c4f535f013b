import type { MethodPage } from "../page-fixture.js";

export const systemPages: MethodPage[] = [
  {
    method: "server.time",
    page: "api-reference/common/system/server-time.md",
    scope: "basic",
    parameters: [],
    calls: [{ params: {}, result: "datetime" }],
  },
];
