import type { Collection as DriverCollection, Document } from "mongodb";
import type { AnyObject, Collection, Model } from "mongoose";

/**
 * The collection behind a model — mongoose's own wrapper, the very object `model.collection`
 * is — typed by the model's stored documents. Claims are raw inserts on it (no casting, no
 * defaults), so the document written is exactly the one given, and its type is checked.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the raw document type matters here
export function collectionOf<T extends AnyObject>(model: Model<T, any, any, any, any, any>): Collection<T> {
  return model.db.collection<T>(model.collection.collectionName);
}

/**
 * The driver's own collection behind a model, without mongoose's wrapper: for the hot paths (reads
 * by `_id`, batched inserts), where the wrapper costs CPU and adds nothing. The connection must be
 * open when this is called (call it at use, not when a repository is built).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the raw document type matters here
export function driverCollectionOf<T extends Document>(model: Model<T, any, any, any, any, any>): DriverCollection<T> {
  const native = model.db.db;
  if (!native) throw new Error(`${model.collection.collectionName}: the database connection is not open`);
  return native.collection<T>(model.collection.collectionName);
}
