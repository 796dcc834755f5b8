//! Friend requests and friendships in SQL (`friend_requests`, `friendships`; see the
//! migrations). A friendship is two rows, one per direction, so a user's friends are read
//! from their own rows (and their own shard, were the table sharded on `user_id`).

use locus_core::db::{is_unique_violation, now_ms, Database, DbError};
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum FriendError {
    #[error("a user cannot befriend themselves")]
    SelfRequest,
    #[error("no user {0}")]
    UnknownUser(i64),
    #[error("already friends")]
    AlreadyFriends,
    #[error("a request to this user is already pending")]
    RequestExists,
    #[error("no such friend request")]
    RequestNotFound,
    #[error("no such friend")]
    NotFriends,
    #[error("user {0} already has the most friends allowed ({1})")]
    FriendLimit(i64, usize),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for FriendError {
    fn from(e: sqlx::Error) -> Self {
        FriendError::Db(DbError::Sqlx(e))
    }
}

/// A pending request from `from_user` to `to_user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FriendRequest {
    pub id: i64,
    pub from_user: i64,
    pub to_user: i64,
    pub created_at: i64,
}

/// What asking for a friendship did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOutcome {
    /// The request waits for the addressee.
    Pending(FriendRequest),
    /// The addressee had already asked: their request was accepted instead.
    Accepted(FriendRequest),
}

#[derive(Clone)]
pub struct FriendStore {
    db: Database,
    max_friends: usize,
}

impl FriendStore {
    pub fn new(db: Database, max_friends: usize) -> Self {
        FriendStore { db, max_friends }
    }

    /// `from` asks `to` to be friends.
    pub async fn request(&self, from: i64, to: i64) -> Result<RequestOutcome, FriendError> {
        if from == to {
            return Err(FriendError::SelfRequest);
        }
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = ?").bind(to).fetch_optional(self.db.pool()).await?;
        if exists.is_none() {
            return Err(FriendError::UnknownUser(to));
        }
        if self.are_friends(from, to).await? {
            return Err(FriendError::AlreadyFriends);
        }
        if let Some(reverse) = self.pending(to, from).await? {
            return Ok(RequestOutcome::Accepted(self.accept(from, reverse.id).await?));
        }
        self.check_room(from).await?;
        let created_at = now_ms();
        let inserted = sqlx::query("INSERT INTO friend_requests (to_user, from_user, created_at) VALUES (?, ?, ?)")
            .bind(to)
            .bind(from)
            .bind(created_at)
            .execute(self.db.pool())
            .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(FriendError::RequestExists),
            other => other?,
        };
        let request = self.pending(from, to).await?.ok_or(FriendError::RequestNotFound)?;
        Ok(RequestOutcome::Pending(request))
    }

    /// The pending request from `from` to `to`, if any.
    async fn pending(&self, from: i64, to: i64) -> Result<Option<FriendRequest>, FriendError> {
        let row = sqlx::query(&format!("{SELECT_REQUEST} WHERE to_user = ? AND from_user = ?"))
            .bind(to)
            .bind(from)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(|r| request_of(&r)).transpose()
    }

    /// Request `id`, whoever it concerns.
    async fn request_by_id(&self, id: i64) -> Result<FriendRequest, FriendError> {
        let row =
            sqlx::query(&format!("{SELECT_REQUEST} WHERE id = ?")).bind(id).fetch_optional(self.db.pool()).await?;
        row.map(|r| request_of(&r)).transpose()?.ok_or(FriendError::RequestNotFound)
    }

    /// Pending requests addressed to `user` and sent by `user`.
    pub async fn requests_of(&self, user: i64) -> Result<(Vec<FriendRequest>, Vec<FriendRequest>), FriendError> {
        let incoming = sqlx::query(&format!("{SELECT_REQUEST} WHERE to_user = ? ORDER BY id"))
            .bind(user)
            .fetch_all(self.db.pool())
            .await?;
        let outgoing = sqlx::query(&format!("{SELECT_REQUEST} WHERE from_user = ? ORDER BY id"))
            .bind(user)
            .fetch_all(self.db.pool())
            .await?;
        let all = |rows: Vec<sqlx::any::AnyRow>| rows.iter().map(request_of).collect::<Result<Vec<_>, _>>();
        Ok((all(incoming)?, all(outgoing)?))
    }

    /// The addressee `user` accepts request `id`: two friendship rows, the request gone.
    pub async fn accept(&self, user: i64, id: i64) -> Result<FriendRequest, FriendError> {
        let request = self.request_by_id(id).await?;
        // Only the addressee may accept; to anyone else the request does not exist.
        if request.to_user != user {
            return Err(FriendError::RequestNotFound);
        }
        self.check_room(request.from_user).await?;
        self.check_room(request.to_user).await?;
        let now = now_ms();
        let mut tx = self.db.pool().begin().await?;
        for (a, b) in [(request.from_user, request.to_user), (request.to_user, request.from_user)] {
            sqlx::query(
                "INSERT INTO friendships (user_id, friend_id, created_at) SELECT ?, ?, ? \
                 WHERE NOT EXISTS (SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ?)",
            )
            .bind(a)
            .bind(b)
            .bind(now)
            .bind(a)
            .bind(b)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM friend_requests WHERE id = ?").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(request)
    }

    /// Either party withdraws or declines request `id`.
    pub async fn cancel(&self, user: i64, id: i64) -> Result<FriendRequest, FriendError> {
        let request = self.request_by_id(id).await?;
        if request.to_user != user && request.from_user != user {
            return Err(FriendError::RequestNotFound);
        }
        sqlx::query("DELETE FROM friend_requests WHERE id = ?").bind(id).execute(self.db.pool()).await?;
        Ok(request)
    }

    /// Ends the friendship of `user` and `friend`, both directions.
    pub async fn unfriend(&self, user: i64, friend: i64) -> Result<(), FriendError> {
        let removed = sqlx::query(
            "DELETE FROM friendships WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)",
        )
        .bind(user)
        .bind(friend)
        .bind(friend)
        .bind(user)
        .execute(self.db.pool())
        .await?;
        if removed.rows_affected() == 0 {
            return Err(FriendError::NotFriends);
        }
        Ok(())
    }

    /// Makes each pair friends at once, without requests (bulk seeding: the load generator,
    /// imports). Pairs already friends are an error of the database's (duplicate key).
    pub async fn insert_friendships(&self, pairs: &[(i64, i64)]) -> Result<(), FriendError> {
        let now = now_ms();
        for chunk in pairs.chunks(500) {
            let values = vec!["(?, ?, ?)"; chunk.len() * 2].join(", ");
            let sql = format!("INSERT INTO friendships (user_id, friend_id, created_at) VALUES {values}");
            let mut query = sqlx::query(&sql);
            for &(a, b) in chunk {
                query = query.bind(a).bind(b).bind(now).bind(b).bind(a).bind(now);
            }
            query.execute(self.db.pool()).await?;
        }
        Ok(())
    }

    /// The ids of `user`'s friends, ascending.
    pub async fn friends_of(&self, user: i64) -> Result<Vec<i64>, FriendError> {
        Ok(sqlx::query_scalar("SELECT friend_id FROM friendships WHERE user_id = ? ORDER BY friend_id")
            .bind(user)
            .fetch_all(self.db.pool())
            .await?)
    }

    pub async fn are_friends(&self, a: i64, b: i64) -> Result<bool, FriendError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM friendships WHERE user_id = ? AND friend_id = ?")
                .bind(a)
                .bind(b)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(found.is_some())
    }

    /// Fails when `user` already has the most friends allowed.
    async fn check_room(&self, user: i64) -> Result<(), FriendError> {
        let friends: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM friendships WHERE user_id = ?")
            .bind(user)
            .fetch_one(self.db.pool())
            .await?;
        if friends as usize >= self.max_friends {
            return Err(FriendError::FriendLimit(user, self.max_friends));
        }
        Ok(())
    }
}

/// The columns of a [`FriendRequest`], for [`request_of`].
const SELECT_REQUEST: &str = "SELECT id, from_user, to_user, created_at FROM friend_requests";

fn request_of(row: &sqlx::any::AnyRow) -> Result<FriendRequest, FriendError> {
    Ok(FriendRequest {
        id: row.try_get("id")?,
        from_user: row.try_get("from_user")?,
        to_user: row.try_get("to_user")?,
        created_at: row.try_get("created_at")?,
    })
}
