// @b24kit/emulator/testing: what our own tests use to test against the emulator, public for yours.
export type {
  AppRegistration,
  AuthData,
  Fault,
  Installation,
  InstalledApp,
  PlacementRequest,
  PortalInfo,
  PortalInput,
  PortalPatch,
  PortalStats,
} from "./testing/control-types.js";
export { control, EmulatorControl } from "./testing/emulator-control.js";
export { freePort } from "./testing/free-port.js";
export { type CapturedRequest, type HandlerServer, handlerServer } from "./testing/handler-server.js";
export { installApp, openApp, openPlacement, userToken } from "./testing/install-app.js";
export { CHROMIUM_FLAGS, launchBrowser } from "./testing/launch-browser.js";
export { testEmulator, trustEmulatorCa } from "./testing/test-emulator.js";
export { type TestPortalOptions, testPortal } from "./testing/test-portal.js";
export { waitFor } from "./testing/wait-for.js";
