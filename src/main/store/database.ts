// Opens the run database: WAL so readers never block the writer, foreign keys on, a busy
// timeout for the rare second process, and migrations brought up to date in one transaction.
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

export function openDatabase(file: string, schema: readonly string[] = migrations): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, schema);
  } catch (error) {
    // A refused database (newer schema, failed migration) must not stay open behind the error.
    db.close();
    throw error;
  }
  return db;
}

export function migrate(db: Db, schema: readonly string[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > schema.length) {
    throw new Error(
      `This run database was written by a newer Diptych (schema ${current}, this version knows ${schema.length}). Update Diptych to open it.`,
    );
  }
  if (current === schema.length) return;
  // A migration may rebuild a table (SQLite's procedure for what ALTER TABLE cannot do): with foreign
  // keys on, dropping the old table would delete its children's rows. So they are off while the
  // migrations run (a pragma a transaction cannot change), and checked before the transaction commits.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  const apply = db.transaction(() => {
    for (let version = current; version < schema.length; version++) {
      db.exec(schema[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0)
      throw new Error(
        `Upgrading the run database would leave ${broken.length} rows without their run; nothing was changed.`,
      );
  });
  try {
    apply();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}
