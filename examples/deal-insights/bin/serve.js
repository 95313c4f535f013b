#!/usr/bin/env node
// Production entry: `node bin/serve.js` with the B24KIT_* environment (see the README's deployment guide).
import { startServer } from "../dist/server.js";

await startServer();
