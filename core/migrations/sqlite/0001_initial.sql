-- The same schema as migrations/mysql, in SQLite's dialect.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE businesses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT NULL UNIQUE,
    owner_id INTEGER NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    address TEXT NULL,
    city TEXT NULL,
    country TEXT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    phone TEXT NULL,
    website TEXT NULL,
    opening_hours TEXT NULL,
    timezone TEXT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX businesses_owner ON businesses (owner_id);

CREATE TABLE geohash_index (
    geohash TEXT NOT NULL,
    business_id INTEGER NOT NULL,
    PRIMARY KEY (geohash, business_id)
) WITHOUT ROWID;
CREATE INDEX geohash_index_business ON geohash_index (business_id);

CREATE TABLE business_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
