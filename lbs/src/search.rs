//! The search operations of `/v1/search/*`: radius search with filters, paging and widening,
//! k-nearest, and area search by box or polygon. They run on any [`PlaceIndex`] and hydrate
//! only the page they return through the business service's read-through cache.

use crate::cursor::Cursor;
use crate::index::{IndexError, PlaceIndex};
use crate::place::{nearest_sorted, Candidate, Filter};
use geo::{Contains, Coord, LineString, MapCoords, Polygon};
use locus_business::service::{BusinessService, ServiceError};
use locus_business::Business;
use locus_core::geo::{wrap_lng, BBox, LatLng, MAX_DISTANCE_M};
use std::sync::Arc;

/// The largest radius a nearby search may ask for, in metres (the book's 20 km).
pub const MAX_RADIUS_M: f64 = 20_000.0;
/// The radius when none is given.
pub const DEFAULT_RADIUS_M: f64 = 5_000.0;
/// Widening steps when fewer than `min_results` are found: the book's radius options, then the
/// sizes of geohash cells at precisions 4 and 3.
pub const WIDENING_STEPS_M: [f64; 7] = [500.0, 1_000.0, 2_000.0, 5_000.0, 20_000.0, 50_000.0, 200_000.0];
/// The widest a widened search goes.
pub const MAX_WIDENED_RADIUS_M: f64 = WIDENING_STEPS_M[WIDENING_STEPS_M.len() - 1];
pub const MAX_PAGE: usize = 100;
pub const MAX_K: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("hydrating results: {0}")]
    Hydrate(#[from] ServiceError),
}

/// A business with its distance from the query point.
#[derive(Debug, Clone)]
pub struct Found {
    pub business: Business,
    pub distance_m: f64,
}

#[derive(Debug, Clone)]
pub struct NearbyQuery {
    pub center: LatLng,
    pub radius_m: f64,
    pub filter: Filter,
    pub limit: usize,
    pub cursor: Option<Cursor>,
    pub min_results: Option<usize>,
}

#[derive(Debug)]
pub struct Page {
    pub total: usize,
    pub results: Vec<Found>,
    pub next_cursor: Option<String>,
    pub radius_expanded_to: Option<f64>,
}

pub struct Searcher {
    index: Arc<dyn PlaceIndex>,
    businesses: Arc<BusinessService>,
}

impl Searcher {
    pub fn new(index: Arc<dyn PlaceIndex>, businesses: Arc<BusinessService>) -> Self {
        Searcher { index, businesses }
    }

    pub fn index(&self) -> &Arc<dyn PlaceIndex> {
        &self.index
    }

    /// Businesses within the radius, nearest first, one page at a time.
    pub async fn nearby(&self, q: &NearbyQuery) -> Result<Page, SearchError> {
        if !(q.radius_m > 0.0 && q.radius_m <= MAX_RADIUS_M) {
            return Err(SearchError::Invalid(format!("radius must be in (0, {MAX_RADIUS_M}] metres")));
        }
        // A later page continues the first page's search, at the radius it widened to, so
        // pages agree even when businesses come and go in between.
        if let Some(c) = q.cursor {
            if !(c.radius_m >= q.radius_m && c.radius_m <= MAX_WIDENED_RADIUS_M) {
                return Err(SearchError::Invalid("cursor does not belong to this search".into()));
            }
            let found = self.index.within(q.center, c.radius_m, &q.filter).await?;
            return self
                .page(found, q.limit, q.cursor, c.radius_m, (c.radius_m > q.radius_m).then_some(c.radius_m))
                .await;
        }
        let mut radius = q.radius_m;
        let mut found = self.index.within(q.center, radius, &q.filter).await?;
        let mut expanded = None;
        if let Some(min) = q.min_results {
            for step in WIDENING_STEPS_M.into_iter().filter(|&s| s > q.radius_m) {
                if found.len() >= min {
                    break;
                }
                radius = step;
                found = self.index.within(q.center, radius, &q.filter).await?;
                expanded = Some(radius);
            }
        }
        self.page(found, q.limit, None, radius, expanded).await
    }

    /// The `k` nearest businesses at any distance.
    pub async fn nearest(&self, center: LatLng, k: usize, filter: &Filter) -> Result<Vec<Found>, SearchError> {
        if k == 0 || k > MAX_K {
            return Err(SearchError::Invalid(format!("k must be in 1..={MAX_K}")));
        }
        let mut best = match self.index.nearest(center, k, filter).await? {
            Some(found) => found,
            None => self.nearest_by_widening(center, k, filter).await?,
        };
        nearest_sorted(&mut best, k);
        self.hydrate(best).await
    }

    /// k-nearest for indexes without a native one: radius searches growing 4x until k are found.
    async fn nearest_by_widening(
        &self,
        center: LatLng,
        k: usize,
        filter: &Filter,
    ) -> Result<Vec<Candidate>, SearchError> {
        let mut radius = 1_000.0;
        loop {
            let found = self.index.within(center, radius, filter).await?;
            if found.len() >= k || radius >= MAX_DISTANCE_M {
                return Ok(found);
            }
            radius = (radius * 4.0).min(MAX_DISTANCE_M);
        }
    }

    /// Businesses inside a box (which may cross the antimeridian), nearest to its centre first.
    pub async fn within_bbox(
        &self,
        bbox: BBox,
        filter: &Filter,
        limit: usize,
        cursor: Option<Cursor>,
    ) -> Result<Page, SearchError> {
        let (center, radius) = bbox.bounding_cap();
        let mut found = self.index.within(center, radius, filter).await?;
        found.retain(|c| bbox.contains(c.location));
        self.page(found, limit, cursor, 0.0, None).await
    }

    /// Businesses inside a polygon (lng/lat ring coordinates, GeoJSON order), nearest to its
    /// bounding box's centre first. A ring with an edge longer than 180° of longitude is read
    /// as crossing the antimeridian (edges are taken to be the shorter way round).
    pub async fn within_polygon(
        &self,
        polygon: &Polygon<f64>,
        filter: &Filter,
        limit: usize,
        cursor: Option<Cursor>,
    ) -> Result<Page, SearchError> {
        let area = PolygonArea::new(polygon)?;
        let (center, radius) = area.bbox.bounding_cap();
        let mut found = self.index.within(center, radius, filter).await?;
        found.retain(|c| area.contains(c.location));
        self.page(found, limit, cursor, 0.0, None).await
    }

    async fn page(
        &self,
        mut found: Vec<Candidate>,
        limit: usize,
        cursor: Option<Cursor>,
        radius_m: f64,
        expanded: Option<f64>,
    ) -> Result<Page, SearchError> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(SearchError::Invalid(format!("limit must be in 1..={MAX_PAGE}")));
        }
        let total = found.len();
        if let Some(c) = cursor {
            found.retain(|x| c.precedes(x.distance_m, x.id));
        }
        let more = found.len() > limit;
        nearest_sorted(&mut found, limit);
        let next_cursor = more
            .then(|| found.last().map(|l| Cursor { distance_m: l.distance_m, id: l.id, radius_m }.encode()))
            .flatten();
        let results = self.hydrate(found).await?;
        Ok(Page { total, results, next_cursor, radius_expanded_to: expanded })
    }

    async fn hydrate(&self, found: Vec<Candidate>) -> Result<Vec<Found>, SearchError> {
        let ids: Vec<i64> = found.iter().map(|c| c.id).collect();
        let businesses = self.businesses.get_many(&ids).await?;
        let mut by_id: std::collections::HashMap<i64, Business> = businesses.into_iter().map(|b| (b.id, b)).collect();
        // A business deleted since the index saw it is simply left out.
        Ok(found
            .into_iter()
            .filter_map(|c| by_id.remove(&c.id).map(|business| Found { business, distance_m: c.distance_m }))
            .collect())
    }
}

/// A polygon ready for point tests: unwrapped past +180 when it crosses the antimeridian.
struct PolygonArea {
    polygon: Polygon<f64>,
    /// Longitudes below 0 are shifted by +360 (in the polygon and in every tested point).
    unwrapped: bool,
    bbox: BBox,
}

impl PolygonArea {
    fn new(polygon: &Polygon<f64>) -> Result<Self, SearchError> {
        let ring = polygon.exterior();
        if ring.0.len() < 4 {
            return Err(SearchError::Invalid("a polygon ring needs at least 4 positions".into()));
        }
        for c in polygon.exterior().coords().chain(polygon.interiors().iter().flat_map(|r| r.coords())) {
            LatLng::new(c.y, c.x).map_err(|e| SearchError::Invalid(e.to_string()))?;
        }
        let unwrapped = ring.lines().any(|l| (l.end.x - l.start.x).abs() > 180.0);
        let polygon =
            if unwrapped { polygon.map_coords(|c| Coord { x: unwrap_lng(c.x), y: c.y }) } else { polygon.clone() };
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for c in polygon.exterior().coords() {
            (w, s, e, n) = (w.min(c.x), s.min(c.y), e.max(c.x), n.max(c.y));
        }
        // Back to [-180, 180]: an unwrapped box reaching past +180 crosses the antimeridian.
        let (w, e) = if unwrapped { (wrap_lng(w), wrap_lng(e)) } else { (w, e) };
        let bbox = BBox::new(w, s, e, n).map_err(|e| SearchError::Invalid(e.to_string()))?;
        Ok(PolygonArea { polygon, unwrapped, bbox })
    }

    /// Inside or on the boundary ("within" includes the boundary).
    fn contains(&self, at: LatLng) -> bool {
        let x = if self.unwrapped { unwrap_lng(at.lng()) } else { at.lng() };
        let p = Coord { x, y: at.lat() };
        self.polygon.contains(&p) || on_boundary(&self.polygon, p)
    }
}

fn unwrap_lng(lng: f64) -> f64 {
    if lng < 0.0 {
        lng + 360.0
    } else {
        lng
    }
}

/// Points exactly on an edge count as inside.
fn on_boundary(polygon: &Polygon<f64>, p: Coord<f64>) -> bool {
    use geo::Intersects;
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior()).chain(polygon.interiors()).collect();
    rings.iter().any(|r| r.intersects(&p))
}
