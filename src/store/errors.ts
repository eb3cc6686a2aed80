/** The store cannot be opened or written; the message says which file and what to do. */
export class StoreError extends Error {}
