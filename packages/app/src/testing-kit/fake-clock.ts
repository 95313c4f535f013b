// One fake clock for the whole kit: the REST client's (a `clock` for createApp and the request builders).
export { FakeClock, settle } from "@b24kit/rest/testing";
