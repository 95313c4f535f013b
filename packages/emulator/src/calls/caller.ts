/** Who is calling: an app through an OAuth access token, or an incoming webhook. */
export interface Caller {
  kind: "oauth" | "webhook";
  userId: number;
  scopes: Set<string>;
  /** Operating-time accounting unit: "app:<clientId>" or "hook:<code>". */
  accountingKey: string;
  clientId?: string;
  webhookCode?: string;
  accessToken?: string;
  /** A change made by the portal itself (automation through the control API): events carry no tokens. */
  system?: boolean;
}
