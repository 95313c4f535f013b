import type { TokenCipher } from "../security/token-cipher.js";

/** The key id a sealed value names ("v1.<keyId>.<iv>.<tag>.<ciphertext>", security/token-cipher.ts). */
export function sealedKeyId(sealed: string): string | undefined {
  const [version, keyId] = sealed.split(".");
  return version === "v1" ? keyId : undefined;
}

/** The key id the cipher seals with now (read off a throwaway sealed value: TokenCipher does not expose it). */
export function currentKeyId(cipher: TokenCipher): string | undefined {
  return sealedKeyId(cipher.encrypt("", "key-id-probe"));
}
