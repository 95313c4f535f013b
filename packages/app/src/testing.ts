// The @b24kit/app/testing entry point: what our own tests use, public for yours.
export type { AppStoreFactory } from "./storage/conformance/conformance-kit.js";
export { describeAppStore } from "./storage/conformance/describe-app-store.js";
