// @b24kit/rest/testing: what our own tests use, public for yours.
// - FakeClock: the client's `clock` option on a time that moves only when told;
// - fakeTransport: the client's `fetch` option answering from a handler, recording requests;
// - conformance suites every TokenStore, BucketStore and RefreshLock adapter must pass.
export {
  type BucketStoreFactory,
  describeBucketStore,
} from "./testing/bucket-store-conformance.js";
export { FakeClock, settle } from "./testing/fake-clock.js";
export {
  type FakeAnswer,
  type FakeHandler,
  type FakeRequest,
  fail,
  fakeTransport,
  networkError,
  ok,
  redirect,
} from "./testing/fake-transport.js";
export { describeRefreshLock, type RefreshLockFactory } from "./testing/refresh-lock-conformance.js";
export type { TestApi } from "./testing/test-api.js";
export { describeTokenStore, type TokenStoreFactory } from "./testing/token-store-conformance.js";
