//! Each user's nearby settings (`nearby_settings`): the radius their friends must be within,
//! and whether they share their location at all. A user without a row has the defaults.

use locus_core::db::{now_ms, Database, DbError};
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NearbySettings {
    /// Friends farther than this (great-circle metres) are not shown.
    pub radius_m: f64,
    /// Whether this user's location reaches their friends.
    pub sharing: bool,
    /// "Nearby random person": the user appears to other opted-in users near them (who are
    /// not friends) and sees them. Off unless the user turns it on; needs `sharing`.
    #[serde(default)]
    pub strangers: bool,
}

/// A partial update; absent fields keep their value.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub radius_m: Option<f64>,
    pub sharing: Option<bool>,
    pub strangers: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("radius_m must be a number of metres above 0 and at most {0}")]
    InvalidRadius(f64),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for SettingsError {
    fn from(e: sqlx::Error) -> Self {
        SettingsError::Db(DbError::Sqlx(e))
    }
}

#[derive(Clone)]
pub struct SettingsStore {
    db: Database,
    default_radius_m: f64,
    max_radius_m: f64,
}

impl SettingsStore {
    pub fn new(db: Database, default_radius_m: f64, max_radius_m: f64) -> Self {
        SettingsStore { db, default_radius_m, max_radius_m }
    }

    pub async fn get(&self, user: i64) -> Result<NearbySettings, SettingsError> {
        let row = sqlx::query("SELECT radius_m, sharing, strangers FROM nearby_settings WHERE user_id = ?")
            .bind(user)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(match row {
            Some(r) => NearbySettings {
                radius_m: r.try_get::<Option<f64>, _>("radius_m")?.unwrap_or(self.default_radius_m),
                sharing: r.try_get::<i64, _>("sharing")? != 0,
                strangers: r.try_get::<i64, _>("strangers")? != 0,
            },
            None => NearbySettings { radius_m: self.default_radius_m, sharing: true, strangers: false },
        })
    }

    /// Applies `patch`; returns the settings before and the settings now in force.
    pub async fn update(
        &self,
        user: i64,
        patch: SettingsPatch,
    ) -> Result<(NearbySettings, NearbySettings), SettingsError> {
        if let Some(r) = patch.radius_m {
            if !(r.is_finite() && r > 0.0 && r <= self.max_radius_m) {
                return Err(SettingsError::InvalidRadius(self.max_radius_m));
            }
        }
        let current = self.get(user).await?;
        let next = NearbySettings {
            radius_m: patch.radius_m.unwrap_or(current.radius_m),
            sharing: patch.sharing.unwrap_or(current.sharing),
            strangers: patch.strangers.unwrap_or(current.strangers),
        };
        let mut tx = self.db.pool().begin().await?;
        sqlx::query("DELETE FROM nearby_settings WHERE user_id = ?").bind(user).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO nearby_settings (user_id, radius_m, sharing, strangers, updated_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user)
        .bind(next.radius_m)
        .bind(i64::from(next.sharing))
        .bind(i64::from(next.strangers))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((current, next))
    }
}
