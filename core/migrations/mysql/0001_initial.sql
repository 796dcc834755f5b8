-- Users: owners of businesses and, later, nearby-friends users. Tokens are stored as SHA-256 hex.
CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY users_token_hash (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The book's business table. Timestamps are milliseconds since the Unix epoch.
CREATE TABLE businesses (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    external_id VARCHAR(200) NULL,
    owner_id BIGINT NULL,
    name VARCHAR(200) NOT NULL,
    category VARCHAR(64) NOT NULL,
    address VARCHAR(500) NULL,
    city VARCHAR(200) NULL,
    country VARCHAR(100) NULL,
    latitude DOUBLE NOT NULL,
    longitude DOUBLE NOT NULL,
    phone VARCHAR(64) NULL,
    website VARCHAR(500) NULL,
    opening_hours VARCHAR(1000) NULL,
    timezone VARCHAR(64) NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE KEY businesses_external_id (external_id),
    KEY businesses_owner (owner_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The book's geohash index: one row per business and precision (4, 5 and 6).
CREATE TABLE geohash_index (
    geohash VARCHAR(6) NOT NULL,
    business_id BIGINT NOT NULL,
    PRIMARY KEY (geohash, business_id),
    KEY geohash_index_business (business_id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- The change feed: every committed business write appends one row; search instances follow it.
CREATE TABLE business_changes (
    seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    business_id BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
) ENGINE=InnoDB;
