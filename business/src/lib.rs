//! The business service's domain: business records, their validation and opening hours, the SQL
//! repository (business table, geohash index rows and change feed written in one transaction),
//! and the read-through detail cache. HTTP lives in `locus-web`.

pub mod hours;
pub mod model;
pub mod repo;
pub mod service;

pub use model::{Business, BusinessInput, ValidationError};
