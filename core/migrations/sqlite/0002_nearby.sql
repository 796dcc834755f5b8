-- The same schema as migrations/mysql/0002_nearby.sql, in SQLite's dialect.
CREATE TABLE friend_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_user INTEGER NOT NULL,
    from_user INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (to_user, from_user)
);
CREATE INDEX friend_requests_from ON friend_requests (from_user);

CREATE TABLE friendships (
    user_id INTEGER NOT NULL,
    friend_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, friend_id)
);

CREATE TABLE nearby_settings (
    user_id INTEGER NOT NULL PRIMARY KEY,
    radius_m REAL NULL,
    sharing INTEGER NOT NULL,
    strangers INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);

CREATE TABLE location_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    accuracy_m REAL NULL,
    recorded_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX location_history_user ON location_history (user_id, recorded_at);
