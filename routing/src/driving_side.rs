//! Which side of the road traffic keeps to, by place: turns across the oncoming traffic cost
//! more ([`crate::cost`]), so in left-hand traffic a right turn costs what a left turn costs
//! elsewhere (OSRM: `left_hand_driving`, which flips its `turn_bias`).
//!
//! The regions below are drawn coarsely, by hand, around left-hand-traffic countries whose
//! borders with right-hand ones are at sea or simple: the British Isles; Japan; Australia with
//! Papua New Guinea, Timor and the Lesser Sunda islands south of 9°S; New Zealand; southern
//! Africa (South Africa to Zimbabwe and Mozambique); the Malay peninsula with Singapore and
//! northern Sumatra; Sri Lanka; Cyprus; Malta. Known gap: the Indian subcontinent, Thailand,
//! Java and the rest of Indonesia, East Africa, Hong Kong and the Caribbean also keep left and
//! are routed as right-hand here (their land borders with right-hand countries would need real
//! boundaries).

use geo::{Contains, Coord, LineString, Polygon, Rect};
use locus_core::geo::LatLng;
use std::sync::LazyLock;

/// Traffic keeps to this side of the road.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrivingSide {
    Right,
    Left,
}

/// (longitude, latitude) rings of the left-hand regions that need more than a box.
const RINGS: [&[(f64, f64)]; 2] = [
    // Great Britain, Ireland, the Isle of Man: through the Channel north of the Cotentin and
    // west of Calais, up the North Sea, round Shetland, back west of Ireland.
    &[
        (-11.0, 51.2),
        (-6.5, 49.7),
        (-5.0, 49.8),
        (-1.5, 50.4),
        (1.0, 50.7),
        (1.5, 51.0),
        (2.0, 51.6),
        (2.5, 52.8),
        (1.0, 54.5),
        (-1.0, 56.5),
        (-1.5, 58.0),
        (-0.5, 61.0),
        (-2.5, 61.0),
        (-14.0, 57.5),
    ],
    // Japan: east of Korea and Jeju, south of Sakhalin, west of the Pacific, north-east of Taiwan.
    &[
        (128.3, 31.0),
        (128.4, 33.5),
        (129.1, 34.2),
        (129.5, 34.9),
        (133.5, 36.6),
        (137.5, 38.0),
        (139.0, 41.5),
        (140.5, 45.0),
        (141.5, 45.7),
        (142.0, 45.65),
        (145.0, 44.6),
        (145.9, 43.2),
        (146.5, 42.5),
        (142.5, 26.0),
        (130.0, 24.0),
        (122.7, 24.2),
        (123.8, 25.1),
    ],
];

/// (west, south, east, north) boxes holding only left-hand traffic.
const BOXES: [(f64, f64, f64, f64); 7] = [
    (112.0, -44.5, 154.5, -9.0),  // Australia, southern Papua New Guinea, Timor
    (165.0, -48.0, 179.9, -34.0), // New Zealand
    (11.5, -35.0, 41.0, -17.6),   // southern Africa
    (99.6, 1.1, 104.5, 6.5),      // Malay peninsula, Singapore, northern Sumatra
    (79.5, 5.8, 82.0, 9.9),       // Sri Lanka
    (32.2, 34.5, 34.7, 35.8),     // Cyprus
    (14.1, 35.75, 14.6, 36.1),    // Malta
];

struct Regions {
    polygons: Vec<Polygon<f64>>,
    boxes: Vec<Rect<f64>>,
}

static REGIONS: LazyLock<Regions> = LazyLock::new(|| Regions {
    polygons: RINGS
        .iter()
        .map(|ring| {
            Polygon::new(LineString::from(ring.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>()), vec![])
        })
        .collect(),
    boxes: BOXES.iter().map(|&(w, s, e, n)| Rect::new(Coord { x: w, y: s }, Coord { x: e, y: n })).collect(),
});

/// The side traffic keeps to at `at`.
pub fn at(at: LatLng) -> DrivingSide {
    let point = Coord { x: at.lng(), y: at.lat() };
    let regions = &*REGIONS;
    if regions.boxes.iter().any(|b| b.contains(&point)) || regions.polygons.iter().any(|p| p.contains(&point)) {
        DrivingSide::Left
    } else {
        DrivingSide::Right
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_keep_to_their_side() {
        let cases = [
            ("London", 51.5074, -0.1278, DrivingSide::Left),
            ("Dover", 51.1279, 1.3134, DrivingSide::Left),
            ("Lowestoft", 52.4811, 1.7500, DrivingSide::Left),
            ("Penzance", 50.1188, -5.5371, DrivingSide::Left),
            ("Lerwick", 60.1530, -1.1490, DrivingSide::Left),
            ("Dublin", 53.3498, -6.2603, DrivingSide::Left),
            ("Galway", 53.2707, -9.0568, DrivingSide::Left),
            ("Calais", 50.9513, 1.8587, DrivingSide::Right),
            ("Boulogne", 50.7264, 1.6147, DrivingSide::Right),
            ("Cherbourg", 49.6337, -1.6222, DrivingSide::Right),
            ("Dunkirk", 51.0343, 2.3768, DrivingSide::Right),
            ("Bergen", 60.3913, 5.3221, DrivingSide::Right),
            ("Torshavn", 62.0107, -6.7741, DrivingSide::Right),
            ("Tokyo", 35.6762, 139.6503, DrivingSide::Left),
            ("Sapporo", 43.0618, 141.3545, DrivingSide::Left),
            ("Naha", 26.2124, 127.6809, DrivingSide::Left),
            ("Fukuoka", 33.5902, 130.4017, DrivingSide::Left),
            ("Busan", 35.1796, 129.0756, DrivingSide::Right),
            ("Jeju", 33.4996, 126.5312, DrivingSide::Right),
            ("Yuzhno-Sakhalinsk", 46.9590, 142.7380, DrivingSide::Right),
            ("Taipei", 25.0330, 121.5654, DrivingSide::Right),
            ("Shanghai", 31.2304, 121.4737, DrivingSide::Right),
            ("Sydney", -33.8688, 151.2093, DrivingSide::Left),
            ("Perth", -31.9505, 115.8605, DrivingSide::Left),
            ("Auckland", -36.8485, 174.7633, DrivingSide::Left),
            ("Johannesburg", -26.2041, 28.0473, DrivingSide::Left),
            ("Windhoek", -22.5609, 17.0658, DrivingSide::Left),
            ("Luanda", -8.8390, 13.2894, DrivingSide::Right),
            ("Antananarivo", -18.8792, 47.5079, DrivingSide::Right),
            ("Singapore", 1.3521, 103.8198, DrivingSide::Left),
            ("Colombo", 6.9271, 79.8612, DrivingSide::Left),
            ("Nicosia", 35.1856, 33.3823, DrivingSide::Left),
            ("Valletta", 35.8989, 14.5146, DrivingSide::Left),
            ("Monaco", 43.7384, 7.4246, DrivingSide::Right),
            ("Munich", 48.1351, 11.5820, DrivingSide::Right),
            ("New York", 40.7128, -74.0060, DrivingSide::Right),
        ];
        for (name, lat, lng, side) in cases {
            assert_eq!(at(LatLng::new(lat, lng).unwrap()), side, "{name}");
        }
    }
}
