//! Location-based search: the spatial indexes (quadtree, R-tree, geohash over SQL + cache), the
//! search operations built on them (radius, k-nearest, area), and the change feed that keeps
//! every instance's index fresh. HTTP lives in `locus-web`.

pub mod tree;
