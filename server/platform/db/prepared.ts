// Building and compiling a Kysely query costs about as much as SQLite running a small one. The
// hottest reads (by id, on every cart and bootstrap request) are built once with stand-in
// values, compiled, and from then on only their parameters change.
import { CompiledQuery, type Compilable } from 'kysely';
import type { Db } from './database.ts';
import { engineOf, type Engine } from './engine.ts';

const standIn = (i: number) => `\u0000encore-parameter-${i}\u0000`;

/**
 * `build(db, ...args)` must use each argument as a plain value (a parameter), never to shape the
 * query (no `in` lists, no conditional clauses): the query is compiled once, with stand-ins.
 */
export function prepared<Args extends unknown[], Row>(arity: Args['length'], build: (db: Db, ...args: Args) => Compilable<Row>) {
  // One per engine: SQLite and PostgreSQL spell parameters differently.
  const templates = new Map<Engine, { sql: string; slots: (number | { value: unknown })[] }>();
  return (db: Db, ...args: Args): Promise<Row[]> => {
    const engine = engineOf(db);
    let template = templates.get(engine);
    if (!template) {
      const standIns = Array.from({ length: arity }, (_, i) => standIn(i)) as Args;
      const compiled = build(db, ...standIns).compile();
      const slots = compiled.parameters.map((p) => {
        const i = standIns.indexOf(p as never);
        return i >= 0 ? i : { value: p };
      });
      if (slots.filter((s) => typeof s === 'number').length !== arity) throw new Error(`prepared: every argument must be one parameter in ${compiled.sql}`);
      template = { sql: compiled.sql, slots };
      templates.set(engine, template);
    }
    const t = template;
    const parameters = t.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    return db.executeQuery(CompiledQuery.raw(t.sql, parameters) as CompiledQuery<Row>).then((r) => r.rows);
  };
}
