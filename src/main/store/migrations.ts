// Numbered schema migrations, applied in order at open; the database's user_version is the
// number of the last one applied. Never edit a migration that has shipped: add the next.
export const migrations: readonly string[] = [
  // 1: runs
  `CREATE TABLE runs (
     id          TEXT PRIMARY KEY,
     name        TEXT NOT NULL,
     model       TEXT NOT NULL CHECK (model IN ('cyclegan', 'cogan')),
     status      TEXT NOT NULL CHECK (status IN ('queued','running','paused','stopped','completed','failed','interrupted')),
     config_json TEXT NOT NULL,
     backend     TEXT,
     created_at  TEXT NOT NULL,
     updated_at  TEXT NOT NULL,
     error       TEXT
   );
   CREATE INDEX runs_created_at ON runs (created_at DESC);`,
];
