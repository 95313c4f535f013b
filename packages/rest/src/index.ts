export type { AuditEvent } from "./audit/audit-event.js";
export { type AuthPayload, tokensFromAuth } from "./auth/auth-payload.js";
export type { AuthContext, AuthStrategy } from "./auth/auth-strategy.js";
export { isSafeMove, type TrustMove } from "./auth/domain-move.js";
export { type FrameAuthOptions, frameAuth } from "./auth/frame-auth.js";
export {
  type InstallPayload,
  type InstallPayloadOptions,
  tokensFromInstall,
} from "./auth/install-payload.js";
export { type OAuthAuthOptions, oauthAuth } from "./auth/oauth-auth.js";
export { localRefreshLock, type RefreshLock } from "./auth/refresh-lock.js";
export { refreshTokens, tokenEndpoint } from "./auth/token-endpoint.js";
export {
  MemoryTokenStore,
  type OAuthTokens,
  type StoredTokens,
  type TokenStore,
} from "./auth/token-store.js";
export { type WebhookAuthOptions, webhookAuth } from "./auth/webhook-auth.js";
export {
  B24Client,
  type B24ClientOptions,
  createB24Client,
  type V3Caller,
  type V3CallOptions,
  type V3Result,
} from "./client/b24-client.js";
export {
  BATCH_LIMIT,
  type BatchCommand,
  type BatchInput,
  type BatchOptions,
  type BatchResult,
} from "./client/batch.js";
export type { CallOptions, CallResult, MethodCaller } from "./client/envelope.js";
export type { FastListOptions } from "./client/fast-list.js";
export type { ListOptions } from "./client/list.js";
export type { FormObject, FormValue } from "./encoding/php-form.js";
export { encodeForm, flattenParams } from "./encoding/php-form.js";
export { B24BatchCommandError, B24Error, type B24ErrorKind, errorFromBody } from "./errors/b24-error.js";
export { type CodeFacts, ERROR_CODES } from "./errors/error-codes.js";
export type {
  ClientHooks,
  PortalState,
  PortalStateEvent,
  RateLimitEvent,
  RenewalEvent,
  RetryEvent,
} from "./hooks/client-hooks.js";
export { type BucketStore, MemoryBucketStore } from "./limits/bucket-store.js";
export { OperatingBudget } from "./limits/operating-budget.js";
export {
  DEFAULT_JITTER_ALLOWANCE_MS,
  ENTERPRISE_LIMITS,
  limitsForLicense,
  RateLimiter,
  type RateLimitOptions,
  type Reservation,
  STANDARD_LIMITS,
} from "./limits/rate-limiter.js";
export type * from "./methods/entities.js";
export { type ListParams, type TypedMethods, typedMethods } from "./methods/typed-methods.js";
export type { RestCall, Send, Step } from "./pipeline/rest-call.js";
export { isRepeatable } from "./retry/repeat-safety.js";
export { decideRetry, type RetryDecision, type RetryState } from "./retry/retry-decision.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry/retry-options.js";
export { redact, redactUrl } from "./security/redact.js";
export { type Clock, realClock } from "./time/clock.js";
export type { FetchLike } from "./wire/fetch-like.js";
