//! Road classes of the lattice lines, their routes (name, `ref`) and the tag helpers.

use locus_routing::Tags;

/// The class of an intercity lattice line (motorways are separate: see `motorway`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Trunk,
    Primary,
    Secondary,
    Tertiary,
}

impl Class {
    pub fn highway(self) -> &'static str {
        match self {
            Class::Trunk => "trunk",
            Class::Primary => "primary",
            Class::Secondary => "secondary",
            Class::Tertiary => "tertiary",
        }
    }

    /// How much a line of this class grows the towns on it (a town on a trunk and a primary
    /// line is a city).
    pub fn town_factor(self) -> f64 {
        match self {
            Class::Trunk => 3.0,
            Class::Primary => 2.5,
            Class::Secondary => 1.6,
            Class::Tertiary => 1.0,
        }
    }

    /// The limit tagged on the open-road stretches that carry one.
    pub fn maxspeed(self) -> &'static str {
        match self {
            Class::Trunk => "110",
            Class::Primary => "90",
            Class::Secondary | Class::Tertiary => "80",
        }
    }
}

/// The class of east-west lattice row `j`: trunk every 8 rows, primary half-way between,
/// secondary on the other even rows, tertiary on odd ones.
pub fn row_class(j: usize) -> Class {
    match j % 8 {
        0 => Class::Trunk,
        4 => Class::Primary,
        2 | 6 => Class::Secondary,
        _ => Class::Tertiary,
    }
}

/// The class of north-south lattice column `i` (trunk and primary swapped relative to rows, so
/// a small country still has every class).
pub fn col_class(i: usize) -> Class {
    match i % 8 {
        0 => Class::Primary,
        4 => Class::Trunk,
        2 | 6 => Class::Secondary,
        _ => Class::Tertiary,
    }
}

/// The numbered route along one lattice line: rows are odd numbers, columns even.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub class: Class,
    pub number: usize,
}

impl Route {
    pub fn row(j: usize) -> Route {
        Route { class: row_class(j), number: 2 * j + 1 }
    }

    pub fn col(i: usize) -> Route {
        Route { class: col_class(i), number: 2 * i + 2 }
    }

    pub fn name(self) -> String {
        format!("Route {}", self.number)
    }

    /// `N7` on national (trunk, primary) roads, `D8` on secondary ones, none on tertiary.
    pub fn reference(self) -> Option<String> {
        match self.class {
            Class::Trunk | Class::Primary => Some(format!("N{}", self.number)),
            Class::Secondary => Some(format!("D{}", self.number)),
            Class::Tertiary => None,
        }
    }

    /// The tags of this route's ways; `maxspeed` when given.
    pub fn tags(self, maxspeed: Option<&str>) -> Tags {
        let mut tags = Tags::new();
        tags.insert("highway", self.class.highway());
        tags.insert("name", &self.name());
        if let Some(r) = self.reference() {
            tags.insert("ref", &r);
        }
        if let Some(m) = maxspeed {
            tags.insert("maxspeed", m);
        }
        tags
    }
}

/// Tags from literal pairs.
pub fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().copied().collect()
}

/// Street names that need XML escaping, given to a few streets so every export exercises it.
pub const AWKWARD_NAMES: &[&str] = &["Rue de l'Église", "Mill & Bakery Lane", "\"Old\" Quay Road", "Allée <Nord>"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_three_by_three_lattice_has_every_class() {
        let mut seen: Vec<Class> = (0..3).flat_map(|k| [row_class(k), col_class(k)]).collect();
        seen.dedup();
        for c in [Class::Trunk, Class::Primary, Class::Secondary, Class::Tertiary] {
            assert!(seen.contains(&c), "{c:?}");
        }
        assert_eq!(Route::row(0).reference().as_deref(), Some("N1"));
        assert_eq!(Route::col(1).reference(), None);
    }
}
