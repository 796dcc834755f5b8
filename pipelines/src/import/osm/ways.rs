//! Businesses mapped as ways (a shop drawn as its building): located at the spherical mean of
//! their nodes, which a second pass over the file looks up.

use super::tags::PoiTags;
use locus_business::BusinessInput;
use locus_core::geo::LatLng;
use osmpbf::Way;
use std::collections::HashMap;

/// A way that is a business, waiting for its nodes' positions.
pub struct WayPoi {
    pub id: i64,
    pub business: BusinessInput,
    /// How many distinct nodes it has, and how many were found.
    pub nodes: u32,
    pub found: u32,
    sum: [f64; 3],
}

impl WayPoi {
    /// The mean of the found nodes' unit vectors, projected back onto the sphere (right across
    /// the antimeridian too); `None` when no node was found.
    pub fn location(&self) -> Option<(f64, f64)> {
        if self.found == 0 {
            return None;
        }
        let [x, y, z] = self.sum;
        Some((z.atan2(x.hypot(y)).to_degrees(), y.atan2(x).to_degrees()))
    }
}

/// The business ways of a file and the nodes they need.
#[derive(Default)]
pub struct WayPois {
    pub pois: Vec<WayPoi>,
    /// Node id -> indexes into `pois` of the ways that use it.
    wanted: HashMap<i64, Vec<u32>>,
}

impl WayPois {
    /// Keeps `way` if its tags make it a business.
    pub fn consider(&mut self, way: &Way<'_>) {
        let tags = PoiTags::collect(way.tags());
        let Some(business) = tags.business(|| format!("osm:way/{}", way.id()), 0.0, 0.0) else {
            return;
        };
        let mut refs: Vec<i64> = way.refs().collect();
        refs.sort_unstable();
        refs.dedup();
        let Ok(index) = u32::try_from(self.pois.len()) else {
            return;
        };
        for r in &refs {
            self.wanted.entry(*r).or_default().push(index);
        }
        self.pois.push(WayPoi { id: way.id(), business, nodes: refs.len() as u32, found: 0, sum: [0.0; 3] });
    }

    pub fn is_empty(&self) -> bool {
        self.pois.is_empty()
    }

    /// Adds a node's position to the ways that use it.
    pub fn node(&mut self, id: i64, lat: f64, lng: f64) {
        let Some(users) = self.wanted.get(&id) else {
            return;
        };
        let Ok(p) = LatLng::new(lat, lng) else { return };
        let v = p.unit_vector();
        for &i in users {
            let poi = &mut self.pois[i as usize];
            poi.found += 1;
            for (s, c) in poi.sum.iter_mut().zip(v) {
                *s += c;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poi_at(points: &[(f64, f64)]) -> (f64, f64) {
        let mut poi = WayPoi { id: 1, business: BusinessInput::default(), nodes: 0, found: 0, sum: [0.0; 3] };
        for &(lat, lng) in points {
            let v = LatLng::new(lat, lng).unwrap().unit_vector();
            poi.found += 1;
            for (s, c) in poi.sum.iter_mut().zip(v) {
                *s += c;
            }
        }
        poi.location().unwrap()
    }

    #[test]
    fn mean_of_a_square_is_its_centre_even_across_the_antimeridian() {
        let (lat, lng) = poi_at(&[(43.0, 7.0), (43.0, 7.002), (43.002, 7.002), (43.002, 7.0)]);
        assert!((lat - 43.001).abs() < 1e-6 && (lng - 7.001).abs() < 1e-6);
        let (lat, lng) = poi_at(&[(-17.0, 179.999), (-17.0, -179.999)]);
        assert!((lat + 17.0).abs() < 1e-6 && (lng.abs() - 180.0).abs() < 1e-6, "{lat} {lng}");
    }
}
