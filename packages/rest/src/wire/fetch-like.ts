/** The part of `fetch` the client and the token endpoint use; inject your own (tests: `fakeTransport`). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
