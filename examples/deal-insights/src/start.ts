import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "@b24kit/emulator";
import { appPage } from "./app-page.js";

/**
 * `npm start`: the emulator plus the reference app, the app installed on the
 * emulator's default portal, and one JSON ready line (contracts.md).
 * The app is still a placeholder page; the runtime-based app replaces it.
 */
async function main(): Promise<void> {
  const emulator = await startEmulator({ port: Number(process.env.B24KIT_EMULATOR_PORT ?? 8480) });
  const server = createServer((req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(appPage(req.method ?? "GET"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", resolve);
  });
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const portal = emulator.portals[0]!;
  const app = await emulator.control<{ clientId: string }>("POST", "apps", {
    name: "Deal insights",
    scopes: ["crm", "user", "placement"],
    appUrl,
    // A marketplace app: tests create more portals and install the same app on each (contracts.md).
    local: false,
  });
  await emulator.control("POST", `portals/${portal.memberId}/install`, { clientId: app.clientId });

  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      portalUrl: emulator.url,
      appUrl,
      emulatorUrl: emulator.url,
      caFile: emulator.caFile,
      memberId: portal.memberId,
      clientId: app.clientId,
      controlUrl: emulator.controlUrl,
      adminWebhookUrl: portal.adminWebhookUrl,
    })}\n`,
  );
  const stop = async () => {
    server.close();
    await emulator.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
