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
