// Numbered schema migrations, applied in order at open; the database's user_version is the
// number of the last one applied. Never edit a migration that has shipped: add the next.
// docs/STORAGE.md describes the schema as a whole.
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

  // 2: run history. Datasets (one row per scan), the engine and device of a run, metrics (compact:
  // WITHOUT ROWID, keyed by run, loss and step, loss names in a lookup table), checkpoints,
  // previews, conversions with their per-file failures, notes and tags. Everything that belongs
  // to a run goes when the run goes (ON DELETE CASCADE); files are removed by the store.
  `CREATE TABLE meta (
     key   TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID;

   CREATE TABLE datasets (
     id            INTEGER PRIMARY KEY,
     path          TEXT NOT NULL,
     role          TEXT NOT NULL CHECK (role IN ('A', 'B')),
     file_count    INTEGER NOT NULL CHECK (file_count >= 0),
     fingerprint   TEXT NOT NULL,
     problems_json TEXT NOT NULL DEFAULT '[]',
     scanned_at    TEXT NOT NULL
   );
   CREATE INDEX datasets_path ON datasets (path, scanned_at);

   ALTER TABLE runs ADD COLUMN device TEXT;
   ALTER TABLE runs ADD COLUMN engine_pid INTEGER;
   ALTER TABLE runs ADD COLUMN started_at TEXT;
   ALTER TABLE runs ADD COLUMN finished_at TEXT;
   ALTER TABLE runs ADD COLUMN resume_step INTEGER;
   ALTER TABLE runs ADD COLUMN dataset_a_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL;
   ALTER TABLE runs ADD COLUMN dataset_b_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL;
   CREATE INDEX runs_active ON runs (status) WHERE status IN ('running', 'paused');

   CREATE TABLE loss_names (
     id   INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE
   );

   CREATE TABLE metrics (
     run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     loss_id INTEGER NOT NULL REFERENCES loss_names (id),
     step    INTEGER NOT NULL CHECK (step >= 0),
     epoch   INTEGER NOT NULL CHECK (epoch >= 0),
     value   REAL,
     PRIMARY KEY (run_id, loss_id, step)
   ) WITHOUT ROWID;

   CREATE TABLE checkpoints (
     id         INTEGER PRIMARY KEY,
     run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     step       INTEGER NOT NULL CHECK (step >= 0),
     epoch      INTEGER NOT NULL CHECK (epoch >= 0),
     path       TEXT NOT NULL,
     size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
     created_at TEXT NOT NULL,
     UNIQUE (run_id, step)
   );

   CREATE TABLE previews (
     id         INTEGER PRIMARY KEY,
     run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     step       INTEGER NOT NULL CHECK (step >= 0),
     path       TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (run_id, step, path)
   );

   CREATE TABLE conversions (
     id              INTEGER PRIMARY KEY,
     run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     checkpoint_id   INTEGER REFERENCES checkpoints (id) ON DELETE SET NULL,
     checkpoint_step INTEGER NOT NULL,
     direction       TEXT NOT NULL CHECK (direction IN ('AtoB', 'BtoA')),
     input_path      TEXT NOT NULL,
     output_path     TEXT NOT NULL,
     total           INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
     converted       INTEGER NOT NULL DEFAULT 0 CHECK (converted >= 0),
     failed          INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
     status          TEXT NOT NULL CHECK (status IN ('queued','running','stopped','completed','failed','interrupted')),
     created_at      TEXT NOT NULL,
     finished_at     TEXT,
     error           TEXT
   );
   CREATE INDEX conversions_run ON conversions (run_id, created_at);
   CREATE INDEX conversions_checkpoint ON conversions (checkpoint_id);

   CREATE TABLE conversion_failures (
     conversion_id INTEGER NOT NULL REFERENCES conversions (id) ON DELETE CASCADE,
     file          TEXT NOT NULL,
     reason        TEXT NOT NULL,
     PRIMARY KEY (conversion_id, file)
   ) WITHOUT ROWID;

   CREATE TABLE notes (
     id         INTEGER PRIMARY KEY,
     run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     body       TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX notes_run ON notes (run_id, created_at);

   CREATE TABLE tags (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     tag    TEXT NOT NULL,
     PRIMARY KEY (run_id, tag)
   ) WITHOUT ROWID;
   CREATE INDEX tags_tag ON tags (tag);`,
  // 3: the GPU adapter a webgpu run trained on (vendor, architecture, description, limits), as JSON.
  `ALTER TABLE runs ADD COLUMN gpu_adapter_json TEXT;`,
  // 4: whose process a run or a conversion is: the pid and its start time (clock ticks after boot,
  // Linux; null elsewhere), so a pid the system has given to another process since, or a zombie,
  // does not keep a dead run or conversion "running" (docs/STORAGE.md, Crashes).
  `ALTER TABLE runs ADD COLUMN engine_started_ticks INTEGER;
   ALTER TABLE conversions ADD COLUMN engine_pid INTEGER;
   ALTER TABLE conversions ADD COLUMN engine_started_ticks INTEGER;
   CREATE INDEX conversions_active ON conversions (status) WHERE status IN ('queued', 'running');`,
  // 5: distance to the ground truth beside the trivial answers, per run and step (src/shared/truth.ts),
  // as the engine reported it; a resume that trains steps again replaces their rows.
  `CREATE TABLE truth_reports (
     run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     step        INTEGER NOT NULL CHECK (step >= 0),
     report_json TEXT NOT NULL,
     PRIMARY KEY (run_id, step)
   ) WITHOUT ROWID;`,
  // 6: a third model, CUT (src/shared/models.ts). SQLite cannot change a CHECK in place, so the runs
  // table is rebuilt (SQLite's own procedure: new table, copy, drop, rename) with every column in its
  // old order. migrate() runs migrations with foreign keys off and checks them before committing, so
  // dropping the old table deletes no child row, and the children's "REFERENCES runs" name the new one.
  `CREATE TABLE runs_with_cut (
     id          TEXT PRIMARY KEY,
     name        TEXT NOT NULL,
     model       TEXT NOT NULL CHECK (model IN ('cyclegan', 'cogan', 'cut')),
     status      TEXT NOT NULL CHECK (status IN ('queued','running','paused','stopped','completed','failed','interrupted')),
     config_json TEXT NOT NULL,
     backend     TEXT,
     created_at  TEXT NOT NULL,
     updated_at  TEXT NOT NULL,
     error       TEXT,
     device TEXT,
     engine_pid INTEGER,
     started_at TEXT,
     finished_at TEXT,
     resume_step INTEGER,
     dataset_a_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
     dataset_b_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
     gpu_adapter_json TEXT,
     engine_started_ticks INTEGER
   );
   INSERT INTO runs_with_cut SELECT * FROM runs;
   DROP TABLE runs;
   ALTER TABLE runs_with_cut RENAME TO runs;
   CREATE INDEX runs_created_at ON runs (created_at DESC);
   CREATE INDEX runs_active ON runs (status) WHERE status IN ('running', 'paused');`,
];
