/**
 * A refused credential, with the reason a client can act on. Never carries the credential itself:
 * messages name what was wrong (expired, wrong audience), not what was sent.
 */
export class AuthFailure extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds, for 429 and 503. */
  readonly retryAfter?: number;
  /**
   * The credential matches nothing we issued (unknown key, bad signature): it may be a guess, and
   * counts against the client's address. A genuine one that is expired or revoked does not.
   */
  readonly guess: boolean;
  constructor(status: number, code: string, message: string, options: { retryAfter?: number; guess?: boolean } = {}) {
    super(message);
    this.name = "AuthFailure";
    this.status = status;
    this.code = code;
    this.guess = options.guess ?? false;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }
}

/** 401 for a credential that matches nothing of ours (counted as a failed attempt). */
export const invalidCredential = (code: string, message: string) => new AuthFailure(401, code, message, { guess: true });

/** 401 for a genuine credential that may no longer be used (expired, revoked, disabled). */
export const refusedCredential = (code: string, message: string) => new AuthFailure(401, code, message);
