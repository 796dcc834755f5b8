//! The router a server holds: the tile sets of a directory, one [`TileStore`] per profile,
//! answering route, nearest and table queries in domain terms ([`Journey`], [`Waypoint`],
//! [`Matrix`]).

use crate::journey::{Journey, Leg, Matrix, QueryPoint, Stretch, Waypoint};
use crate::profile::Mode;
use crate::search::{self, Found, SearchLimits, TileView};
use crate::snap::{self, Reach, Snap, DEFAULT_RADIUS_M, MAX_RADIUS_M};
use crate::tiles::overlay::Overlay;
use crate::tiles::{Manifest, TileStore};
use crate::RouteError;
use locus_core::geo::{haversine_m, LatLng};
use rustc_hash::FxHashMap;
use std::path::Path;

/// An alternative route costs at most this fraction of the best route's cost (numerator,
/// denominator): 1.25.
pub const ALTERNATIVE_STRETCH: (u64, u64) = (5, 4);
/// An alternative shares at most this share of its length with the routes before it.
pub const ALTERNATIVE_SHARING: f64 = 0.7;
/// The edges of a route found cost this fraction of their weight more in the next search.
pub const ALTERNATIVE_PENALTY: (u64, u64) = (1, 2);

/// How a router uses memory and bounds work.
#[derive(Debug, Clone, Copy)]
pub struct RouterConfig {
    /// The tile cache of each profile, in bytes.
    pub cache_bytes: u64,
    pub limits: SearchLimits,
    /// The most waypoints a route, and the most sources × destinations a table, may have.
    pub max_waypoints: usize,
    pub max_table_cells: usize,
}

impl Default for RouterConfig {
    fn default() -> Self {
        RouterConfig {
            cache_bytes: 512 << 20,
            limits: SearchLimits::default(),
            max_waypoints: 500,
            max_table_cells: 100 * 100,
        }
    }
}

/// The routing tile sets of one directory.
#[derive(Debug)]
pub struct Router {
    manifest: Manifest,
    stores: Vec<(Mode, TileStore)>,
    config: RouterConfig,
}

impl Router {
    /// Opens the tile sets in `dir` (the folder holding `manifest.json`).
    pub fn open(dir: &Path, config: RouterConfig) -> Result<Router, RouteError> {
        let manifest = Manifest::read(dir).map_err(RouteError::Data)?;
        let mut stores = Vec::new();
        for profile in &manifest.profiles {
            let mode = profile.mode().ok_or_else(|| RouteError::Data(format!("unknown profile {}", profile.mode)))?;
            let root = dir.join(mode.name());
            let overlay = Overlay::open(&root).map_err(RouteError::Data)?;
            stores
                .push((mode, TileStore::open(&root, mode, profile.clone(), config.cache_bytes).with_overlay(overlay)));
        }
        Ok(Router { manifest, stores, config })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn modes(&self) -> Vec<Mode> {
        self.stores.iter().map(|(m, _)| *m).collect()
    }

    pub fn store(&self, mode: Mode) -> Result<&TileStore, RouteError> {
        self.stores.iter().find(|(m, _)| *m == mode).map(|(_, s)| s).ok_or(RouteError::ProfileUnavailable(mode))
    }

    pub fn config(&self) -> &RouterConfig {
        &self.config
    }

    fn radius(q: &QueryPoint) -> Result<f64, RouteError> {
        match q.radius_m {
            None => Ok(DEFAULT_RADIUS_M),
            Some(r) if r.is_finite() && (0.0..=MAX_RADIUS_M).contains(&r) => Ok(r),
            Some(r) => Err(RouteError::InvalidValue(format!("radius {r} is not in 0..={MAX_RADIUS_M} metres"))),
        }
    }

    fn bearing(q: &QueryPoint) -> Result<Option<(u16, u16)>, RouteError> {
        match q.bearing {
            Some((b, r)) if b > 360 || r > 180 => {
                Err(RouteError::InvalidValue(format!("bearing {b},{r} is not in 0..=360, 0..=180 degrees")))
            }
            other => Ok(other),
        }
    }

    /// Up to `count` nearest points on roads of this profile.
    pub fn nearest(&self, mode: Mode, q: QueryPoint, count: usize) -> Result<Vec<Waypoint>, RouteError> {
        let store = self.store(mode)?;
        if count == 0 || count > 100 {
            return Err(RouteError::InvalidValue(format!("number {count} is not in 1..=100")));
        }
        let snaps = snap::snap(store, q.at, Self::radius(&q)?, count, Reach::Any, Self::bearing(&q)?)?;
        Ok(snaps.iter().map(|s| waypoint(q.at, s)).collect())
    }

    /// Each point's nearest snap and, when that lies in a small component, the nearest on the
    /// main network too.
    fn snap_all(&self, store: &TileStore, points: &[QueryPoint]) -> Result<Vec<(Snap, Option<Snap>)>, RouteError> {
        points
            .iter()
            .enumerate()
            .map(|(index, q)| {
                let (radius, bearing) = (Self::radius(q)?, Self::bearing(q)?);
                let nearest = snap::snap(store, q.at, radius, 1, Reach::Any, bearing)?
                    .into_iter()
                    .next()
                    .ok_or(RouteError::NoSegment { index })?;
                let main = if nearest.small_component {
                    snap::snap(store, q.at, radius, 1, Reach::MainNetwork, bearing)?.into_iter().next()
                } else {
                    None
                };
                Ok((nearest, main))
            })
            .collect()
    }

    /// The fastest route through `points`, in order.
    pub fn route(&self, mode: Mode, points: &[QueryPoint]) -> Result<Journey, RouteError> {
        let store = self.store(mode)?;
        let (snaps, found) = self.best_legs(store, points)?;
        journey(store, mode, points, &snaps, &found)
    }

    /// The fastest route between two points, then up to `alternatives` others, each at most
    /// [`ALTERNATIVE_STRETCH`] slower and sharing at most [`ALTERNATIVE_SHARING`] of its length
    /// with the routes before it (fewer when the network has none such). Alternatives are
    /// found by the penalty method: the edges of every route found so far cost
    /// [`ALTERNATIVE_PENALTY`] more, and the search runs again. Through waypoints (more than two
    /// points) there are no alternatives, as in OSRM.
    pub fn route_with_alternatives(
        &self,
        mode: Mode,
        points: &[QueryPoint],
        alternatives: usize,
    ) -> Result<Vec<Journey>, RouteError> {
        let store = self.store(mode)?;
        let (snaps, best) = self.best_legs(store, points)?;
        let mut journeys = vec![journey(store, mode, points, &snaps, &best)?];
        if alternatives == 0 || points.len() != 2 {
            return Ok(journeys);
        }
        let (from, to) = (&snaps[0], &snaps[1]);
        let best = best.into_iter().next().ok_or(RouteError::NoRoute)?;
        let longest = best.cost_ms.saturating_mul(ALTERNATIVE_STRETCH.0) / ALTERNATIVE_STRETCH.1;
        let mut view = TileView::new(store);
        // The length of each edge on a route returned so far.
        let mut taken: FxHashMap<u64, f64> = FxHashMap::default();
        taken.extend(edge_costs(&mut view, &best)?.into_iter().map(|(edge, _, length_m)| (edge, length_m)));
        let mut penalties: FxHashMap<u64, u32> = FxHashMap::default();
        let mut last = best;
        for _ in 0..alternatives * 3 {
            for (edge, weight, _) in edge_costs(&mut view, &last)? {
                let extra = (u64::from(weight) * ALTERNATIVE_PENALTY.0 / ALTERNATIVE_PENALTY.1).max(1);
                let penalty = penalties.entry(edge).or_default();
                *penalty = penalty.saturating_add(u32::try_from(extra).unwrap_or(u32::MAX));
            }
            let Some(candidate) = search::route_penalized(store, from, to, self.config.limits, &penalties)? else {
                break;
            };
            if candidate.cost_ms > longest {
                break;
            }
            let shared: f64 = candidate.pieces.iter().filter_map(|p| taken.get(&p.edge.0)).sum();
            if candidate.length_m > 0.0 && shared <= candidate.length_m * ALTERNATIVE_SHARING {
                taken
                    .extend(edge_costs(&mut view, &candidate)?.into_iter().map(|(edge, _, length_m)| (edge, length_m)));
                journeys.push(journey(store, mode, points, &snaps, std::slice::from_ref(&candidate))?);
                if journeys.len() > alternatives {
                    break;
                }
            }
            last = candidate;
        }
        Ok(journeys)
    }

    /// The snaps the legs were routed between, and each leg's cheapest path.
    fn best_legs(&self, store: &TileStore, points: &[QueryPoint]) -> Result<(Vec<Snap>, Vec<Found>), RouteError> {
        if points.len() < 2 {
            return Err(RouteError::InvalidValue("a route needs at least two coordinates".into()));
        }
        if points.len() > self.config.max_waypoints {
            return Err(RouteError::TooBig(format!(
                "{} coordinates; a route takes at most {}",
                points.len(),
                self.config.max_waypoints
            )));
        }
        let options = self.snap_all(store, points)?;
        let mut snaps: Vec<Snap> = options.iter().map(|(nearest, _)| nearest.clone()).collect();
        let mut legs = Vec::with_capacity(snaps.len() - 1);
        for i in 0..snaps.len() - 1 {
            // The nearest roads first; when they do not connect, the main network's (a point
            // by a road island routes from the road it would drive to).
            let mut tries = vec![(snaps[i].clone(), snaps[i + 1].clone())];
            if let Some(main) = &options[i + 1].1 {
                tries.push((snaps[i].clone(), main.clone()));
            }
            if let (0, Some(main)) = (i, &options[0].1) {
                tries.push((main.clone(), options[1].1.clone().unwrap_or_else(|| snaps[1].clone())));
            }
            let mut found = None;
            for (from, to) in tries {
                if let Some(f) = search::route(store, &from, &to, self.config.limits)? {
                    found = Some(f);
                    snaps[i] = from;
                    snaps[i + 1] = to;
                    break;
                }
            }
            legs.push(found.ok_or(RouteError::NoRoute)?);
        }
        Ok((snaps, legs))
    }

    /// Durations and distances from every source to every destination.
    pub fn table(&self, mode: Mode, sources: &[QueryPoint], destinations: &[QueryPoint]) -> Result<Matrix, RouteError> {
        let store = self.store(mode)?;
        if sources.is_empty() || destinations.is_empty() {
            return Err(RouteError::InvalidValue("a table needs sources and destinations".into()));
        }
        if sources.len().saturating_mul(destinations.len()) > self.config.max_table_cells {
            return Err(RouteError::TooBig(format!(
                "{} × {} cells; a table takes at most {}",
                sources.len(),
                destinations.len(),
                self.config.max_table_cells
            )));
        }
        // A table prefers the main network outright (there is no leg to retry).
        let prefer_main = |(nearest, main): (Snap, Option<Snap>)| main.unwrap_or(nearest);
        let from: Vec<Snap> = self.snap_all(store, sources)?.into_iter().map(prefer_main).collect();
        let to: Vec<Snap> = self
            .snap_all(store, destinations)
            .map_err(|e| match e {
                RouteError::NoSegment { index } => RouteError::NoSegment { index: sources.len() + index },
                other => other,
            })?
            .into_iter()
            .map(prefer_main)
            .collect();
        let mut durations_s = Vec::with_capacity(from.len());
        let mut distances_m = Vec::with_capacity(from.len());
        for s in &from {
            let row = search::one_to_many(store, s, &to, self.config.limits)?;
            durations_s.push(row.iter().map(|f| f.as_ref().map(|f| f.cost_ms as f64 / 1000.0)).collect());
            distances_m.push(row.iter().map(|f| f.as_ref().map(|f| f.length_m)).collect());
        }
        Ok(Matrix {
            sources: sources.iter().zip(&from).map(|(q, s)| waypoint(q.at, s)).collect(),
            destinations: destinations.iter().zip(&to).map(|(q, s)| waypoint(q.at, s)).collect(),
            durations_s,
            distances_m,
        })
    }
}

fn waypoint(input: LatLng, snap: &Snap) -> Waypoint {
    Waypoint { input, location: snap.location, snap_distance_m: snap.distance_m, name: snap.name.clone() }
}

/// Each edge of a found path: its id, whole weight in ms and length in metres.
fn edge_costs(view: &mut TileView, found: &Found) -> Result<Vec<(u64, u32, f64)>, RouteError> {
    found
        .pieces
        .iter()
        .map(|p| {
            let tile = view.tile(p.edge.tile())?;
            Ok((p.edge.0, tile.weight(p.edge.local()), tile.lengths_m[p.edge.local() as usize]))
        })
        .collect()
}

/// The journey of `found` paths, one per leg, between `snaps` of `points`.
fn journey(
    store: &TileStore,
    mode: Mode,
    points: &[QueryPoint],
    snaps: &[Snap],
    found: &[Found],
) -> Result<Journey, RouteError> {
    let legs = found.iter().map(|f| leg(store, f)).collect::<Result<Vec<_>, _>>()?;
    Ok(Journey {
        mode,
        distance_m: legs.iter().map(|l| l.distance_m).sum(),
        duration_s: legs.iter().map(|l| l.duration_s).sum(),
        waypoints: points.iter().zip(snaps).map(|(q, s)| waypoint(q.at, s)).collect(),
        legs,
        cost_ms: found.iter().map(|f| f.cost_ms).sum(),
    })
}

/// The stretches of a found path.
fn leg(store: &TileStore, found: &Found) -> Result<Leg, RouteError> {
    let mut stretches = Vec::with_capacity(found.pieces.len());
    let mut view = TileView::new(store);
    for piece in &found.pieces {
        let tile = view.tile(piece.edge.tile())?;
        let local = piece.edge.local();
        let shape = tile.shape(local);
        let (s_seg, s_frac, s_ms) = piece.from.map_or((0, 0.0, 0), |p| (p.segment as usize, p.fraction, p.offset_ms));
        let (e_seg, e_frac, e_ms) = piece
            .to
            .map_or((shape.len() - 2, 1.0, tile.weight(local)), |p| (p.segment as usize, p.fraction, p.offset_ms));
        let mut geometry = vec![tile.point_at(local, s_seg as u32, s_frac)];
        geometry.extend(shape[s_seg + 1..=e_seg].iter().map(|p| p.at));
        let end = tile.point_at(local, e_seg as u32, e_frac);
        if geometry.last() != Some(&end) || geometry.len() == 1 {
            geometry.push(end);
        }
        let length_m = if piece.from.is_none() && piece.to.is_none() {
            tile.lengths_m[local as usize]
        } else {
            geometry.windows(2).map(|w| haversine_m(w[0], w[1])).sum()
        };
        let edge = tile.edge(local);
        let way = &tile.data.ways[edge.way as usize];
        stretches.push(Stretch {
            geometry,
            length_m,
            duration_s: f64::from(e_ms.saturating_sub(s_ms) + piece.turn_ms) / 1000.0,
            way_osm_id: way.osm_id,
            name: way.name.clone(),
            reference: way.reference.clone(),
            class: edge.class,
            flags: edge.flags,
        });
    }
    // The travel time, not the cost: a restricted-entry penalty steers the search only.
    let duration_s = stretches.iter().map(|s| s.duration_s).sum();
    Ok(Leg { distance_m: found.length_m, duration_s, stretches })
}
