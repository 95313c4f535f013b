import { hex } from "../ids.js";

/** Who a token acts for. */
export interface GrantSubject {
  memberId: string;
  clientId: string;
  userId: number;
  scopes: string[];
}

export interface AccessGrant extends GrantSubject {
  token: string;
  expiresAtMs: number;
}

export interface RefreshGrant extends GrantSubject {
  token: string;
  expiresAtMs: number;
  /** Set when used; a used token is refused (after the configured grace). */
  usedAtMs?: number;
}

export interface AuthCode extends GrantSubject {
  code: string;
  expiresAtMs: number;
  used: boolean;
}

export const ACCESS_TTL_S = 3600;
export const REFRESH_TTL_S = 180 * 24 * 3600;
export const CODE_TTL_S = 30;

/** The OAuth server's memory: access and refresh tokens, authorization codes. */
export class Grants {
  readonly access = new Map<string, AccessGrant>();
  readonly refresh = new Map<string, RefreshGrant>();
  readonly codes = new Map<string, AuthCode>();

  issuePair(subject: GrantSubject, nowMs: number): { access: AccessGrant; refresh: RefreshGrant } {
    const access: AccessGrant = { ...subject, token: hex(35), expiresAtMs: nowMs + ACCESS_TTL_S * 1000 };
    const refresh: RefreshGrant = { ...subject, token: hex(35), expiresAtMs: nowMs + REFRESH_TTL_S * 1000 };
    this.access.set(access.token, access);
    this.refresh.set(refresh.token, refresh);
    return { access, refresh };
  }

  issueCode(subject: GrantSubject, nowMs: number): AuthCode {
    const code: AuthCode = { ...subject, code: hex(16), expiresAtMs: nowMs + CODE_TTL_S * 1000, used: false };
    this.codes.set(code.code, code);
    return code;
  }

  /** Forgets every grant of one app on one portal (uninstall) or of a whole portal. */
  revoke(memberId: string, clientId?: string): void {
    for (const map of [this.access, this.refresh, this.codes] as Array<Map<string, GrantSubject>>) {
      for (const [k, g] of map)
        if (g.memberId === memberId && (!clientId || g.clientId === clientId)) map.delete(k);
    }
  }
}
