import { startEmulator } from "@b24kit/emulator";
import { expect, it } from "vitest";

// A plan the emulator does not know used to start fine and answer 500 on every REST call of the portal.
it("startEmulator refuses an unknown plan before it listens, naming the plans it knows", async () => {
  await expect(startEmulator({ port: 0, http: true, plan: "gold" as "basic" })).rejects.toThrow(
    'plan must be one of free, basic, standard, professional, enterprise, got "gold"',
  );
});
