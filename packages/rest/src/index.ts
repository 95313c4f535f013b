export type { AuditEvent } from "./audit/audit-event.js";
export { redact, redactUrl } from "./audit/audit-event.js";
export type { AuthContext, AuthStrategy } from "./auth/auth-strategy.js";
export { type FrameAuthOptions, frameAuth } from "./auth/frame-auth.js";
export { type OAuthAuthOptions, oauthAuth } from "./auth/oauth-auth.js";
export { localRefreshLock, type RedisLike, type RefreshLock, redisRefreshLock } from "./auth/refresh-lock.js";
export { refreshTokens, tokenEndpoint } from "./auth/token-endpoint.js";
export {
  MemoryTokenStore,
  type OAuthTokens,
  type StoredTokens,
  type TokenStore,
} from "./auth/token-store.js";
export { webhookAuth } from "./auth/webhook-auth.js";
export { B24Client, type B24ClientOptions, createB24Client } from "./client/b24-client.js";
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
export {
  type BucketStore,
  MemoryBucketStore,
  RedisBucketStore,
  type RedisEval,
} from "./limits/bucket-store.js";
export { OperatingBudget } from "./limits/operating-budget.js";
export {
  ENTERPRISE_LIMITS,
  limitsForLicense,
  RateLimiter,
  type RateLimitOptions,
  STANDARD_LIMITS,
} from "./limits/rate-limiter.js";
export type * from "./methods/entities.js";
export { type ListParams, type TypedMethods, typedMethods } from "./methods/typed-methods.js";
export { isRepeatable } from "./retry/retry-policy.js";
