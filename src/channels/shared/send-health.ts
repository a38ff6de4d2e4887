/**
 * Whether a channel can send right now, for /readyz: a run of sends that timed out or could not
 * connect (a hung or unreachable platform) makes it "not ready" until one succeeds again.
 */
import type { SendResult } from "../../engine/messages.js";

/** Consecutive failed sends after which the channel is reported unable to send. */
export const STALL_AFTER_FAILURES = 3;

/** Tracks the latest send outcomes of one channel. */
export class SendHealth {
  private failuresInARow = 0;

  /** Records one platform call's outcome. A refusal (4xx, 429, blocked) proves the platform answers. */
  record(result: SendResult): void {
    if (result.ok || result.kind === "rate_limited" || result.kind === "unreachable") this.failuresInARow = 0;
    else if (result.kind === "unknown" || /^E[A-Z]+$|^network$|^timeout$/.test(result.code)) this.failuresInARow++;
    else this.failuresInARow = 0;
  }

  /** False while the platform is not answering. */
  get canSend(): boolean {
    return this.failuresInARow < STALL_AFTER_FAILURES;
  }
}
