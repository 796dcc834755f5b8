//! The wire layer of navigation. [`osrm`] reads OSRM-compatible requests (`/route/v1`,
//! `/nearest/v1`, `/table/v1`) and writes OSRM's answers and error codes; [`nav`] reads
//! `GET /v1/nav` and writes the book's Google-style directions. Both are pure functions and
//! share the strict query-string reader in `query`; [`handlers`] is the only part that calls
//! the router.

pub mod handlers;
pub mod nav;
pub mod osrm;
mod query;

#[cfg(test)]
mod fixtures;
