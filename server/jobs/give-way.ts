// better-sqlite3 answers synchronously and Kysely's awaits resolve as microtasks, so a loop of
// queries never lets the event loop handle a request until it ends. Housekeeping loops await
// this between units of work: a round in the API process then delays a request by one unit
// (one cart, one batch), not by the whole round.
export const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));
