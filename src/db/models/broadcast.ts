import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { BROADCAST_STATUSES } from "../../domain/broadcast.js";

/**
 * An announcement to many contacts. The audience is stored as a description (resolved when
 * delivery starts), so a scheduled broadcast reaches whoever qualifies at send time.
 */
export const broadcastSchema = new Schema(
  {
    _id: { type: String, required: true },
    text: {
      vi: { type: String, required: true },
      en: { type: String },
    },
    /** `{ kind: "all" | "enterprises" | "course" | "language" | "contacts", sector?, courseId?, locale?, contacts? }` */
    audience: { type: Schema.Types.Mixed, required: true },
    /** scheduled → sending → done; or cancelled before it starts. */
    status: { type: String, required: true, enum: BROADCAST_STATUSES },
    sendAt: { type: Date, required: true },
    /** `channel:userId` of the staff member, or `cli`. */
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date },
    /** Refreshed while a process delivers it; a stale one means that process died. */
    heartbeatAt: { type: Date },
    finishedAt: { type: Date },
    recipients: { type: Number },
    counts: { type: Schema.Types.Mixed },
    /** Set on a broadcast that re-sends another's in-doubt/failed recipients. */
    resendOf: { type: String },
    reportedAt: { type: Date },
  },
  { minimize: false, versionKey: false },
);

/** A broadcast as stored (`audience` and `counts` are typed by the repository). */
export type BroadcastDoc = InferSchemaType<typeof broadcastSchema>;

/** The Broadcast model on a connection. */
export function broadcastModel(conn: Connection) {
  return conn.model("Broadcast", broadcastSchema, "broadcasts");
}
