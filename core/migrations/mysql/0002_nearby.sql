-- Nearby friends. Every table is keyed by user_id first, so it can be sharded on it.

-- A pending friend request, kept in the addressee's shard; accepting it turns it into two
-- friendship rows and deletes it.
CREATE TABLE friend_requests (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    to_user BIGINT NOT NULL,
    from_user BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY friend_requests_pair (to_user, from_user),
    KEY friend_requests_from (from_user)
) ENGINE=InnoDB;

-- Friendship, stored once per direction so each user's friends live in their own shard.
CREATE TABLE friendships (
    user_id BIGINT NOT NULL,
    friend_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, friend_id)
) ENGINE=InnoDB;

-- Per-user nearby settings; a missing row means the server's defaults. `strangers`: the user
-- opts in to the "nearby random person" feature (seen by and seeing opted-in strangers).
CREATE TABLE nearby_settings (
    user_id BIGINT NOT NULL PRIMARY KEY,
    radius_m DOUBLE NULL,
    sharing TINYINT NOT NULL,
    strangers TINYINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
) ENGINE=InnoDB;

-- Every location update received, written in batches off the request path.
CREATE TABLE location_history (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    latitude DOUBLE NOT NULL,
    longitude DOUBLE NOT NULL,
    accuracy_m DOUBLE NULL,
    recorded_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    KEY location_history_user (user_id, recorded_at)
) ENGINE=InnoDB;
