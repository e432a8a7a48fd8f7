// The one database interface above which all code is the same for PGlite and PostgreSQL.
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface DbFeatures {
  /** pgvector is installed and enabled */
  vector: boolean;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  readonly features: DbFeatures;
  /**
   * Runs fn inside one transaction; rolls back when it throws. fn must use `q`, never this Db: on
   * PGlite (one session) a statement sent to the Db waits for the transaction, which waits for fn.
   */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DbUnavailableError extends Error {}
