// The @b24kit/app/testing entry point: what our own tests use, public for yours.
// The JobQueue conformance suite (queue adapters of your own pass it too).
export { describeJobQueue } from "./queue/conformance/describe-job-queue.js";
export type {
  DescribeJobQueueOptions,
  JobQueueFactory,
  JobQueueFixture,
} from "./queue/conformance/queue-kit.js";
export type { AppStoreFactory } from "./storage/conformance/conformance-kit.js";
export { describeAppStore } from "./storage/conformance/describe-app-store.js";
// Requests as a portal sends them (events, lifecycle events, frames), and deliberately broken ones.
export { type EventRequestOptions, eventRequest } from "./testing-kit/event-requests.js";
export { FakeClock, settle } from "./testing-kit/fake-clock.js";
export {
  appPageRequest,
  type FieldTypeRequestField,
  type FrameRequestOptions,
  fieldTypeRequest,
  placementRequest,
} from "./testing-kit/frame-requests.js";
export {
  type InstallEventOptions,
  installEventRequest,
  type UninstallEventOptions,
  uninstallEventRequest,
} from "./testing-kit/lifecycle-requests.js";
export { encodePortalForm } from "./testing-kit/portal-form.js";
export type { PortalRequestOptions } from "./testing-kit/portal-post.js";
export { FOREIGN_DOMAIN, manyKeys, oversizedBody, type Tamper } from "./testing-kit/tamper.js";
