import type { ExpectedRecord, SideChoices } from "./driver.js";

/** A stored enterprise record in the shape the correctness check compares. */
export type StoredRecord = ExpectedRecord;

/** One running bot under test, in the worker process. */
export interface RunningSide {
  /** Hands one Telegram update to the bot; resolves when its handling has finished. */
  handleUpdate(update: Record<string, unknown>): Promise<unknown>;
  /** The enterprise records stored for these Telegram user ids. */
  records(userIds: string[]): Promise<StoredRecord[]>;
  close(): Promise<void>;
}

/** A bot under test: how the script presses its buttons, and how to start it. */
export interface Side {
  readonly name: "baseline" | "project";
  readonly choices: SideChoices;
  start(options: { token: string; apiRoot: string; mongoUri: string }): Promise<RunningSide>;
}
