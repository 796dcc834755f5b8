//! Users and bearer tokens.
//!
//! A token is 32 random bytes, hex-encoded, handed out once at creation; only its SHA-256 is
//! stored, so a leaked table does not leak credentials.

use crate::db::{now_ms, Database, DbError};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The longest user name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("name must be 1 to {MAX_NAME_CHARS} characters")]
    InvalidName,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for UserError {
    fn from(e: sqlx::Error) -> Self {
        UserError::Db(DbError::Sqlx(e))
    }
}

/// Users in the shared SQL database.
#[derive(Clone)]
pub struct UserStore {
    db: Database,
}

/// SHA-256 hex of a token: what the users table stores and compares.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl UserStore {
    pub fn new(db: Database) -> Self {
        UserStore { db }
    }

    /// Creates a user and returns it with its token (shown this once).
    pub async fn create(&self, name: &str) -> Result<(User, String), UserError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            return Err(UserError::InvalidName);
        }
        let token = new_token();
        let token_hash = hash_token(&token);
        sqlx::query("INSERT INTO users (name, token_hash, created_at) VALUES (?, ?, ?)")
            .bind(name)
            .bind(&token_hash)
            .bind(now_ms())
            .execute(self.db.pool())
            .await?;
        // The token hash is unique, so it finds the new row in either dialect (sqlx's Any
        // driver reports last_insert_id for MySQL only).
        let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE token_hash = ?")
            .bind(&token_hash)
            .fetch_one(self.db.pool())
            .await?;
        Ok((User { id, name: name.to_owned() }, token))
    }

    /// Replaces a user's token with a new one (returned, shown this once): the old token stops
    /// working at once.
    pub async fn rotate_token(&self, user_id: i64) -> Result<String, UserError> {
        let token = new_token();
        sqlx::query("UPDATE users SET token_hash = ? WHERE id = ?")
            .bind(hash_token(&token))
            .bind(user_id)
            .execute(self.db.pool())
            .await?;
        Ok(token)
    }

    /// The users among `ids` that exist, with their names, in `ids`' order.
    pub async fn find_many(&self, ids: &[i64]) -> Result<Vec<User>, UserError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT id, name FROM users WHERE id IN ({placeholders})");
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(self.db.pool()).await? {
                found.push(User { id: row.try_get("id")?, name: row.try_get("name")? });
            }
        }
        let order: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        found.sort_by_key(|u| order.get(&u.id).copied().unwrap_or(usize::MAX));
        Ok(found)
    }

    /// The user a token belongs to, if any.
    pub async fn authenticate(&self, token: &str) -> Result<Option<User>, UserError> {
        let row = sqlx::query("SELECT id, name FROM users WHERE token_hash = ?")
            .bind(hash_token(token))
            .fetch_optional(self.db.pool())
            .await?;
        Ok(match row {
            Some(r) => Some(User { id: r.try_get("id")?, name: r.try_get("name")? }),
            None => None,
        })
    }
}
