#!/usr/bin/env node
// Committed entry so that npm can link the bin before the first build; the
// code lives in dist/ (built by the workspace's `prepare` script).
import("../dist/cli.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli.js")) {
    console.error("b24kit is not built yet: run `npm run build` in the b24kit workspace.");
    process.exit(1);
  }
  throw error;
});
