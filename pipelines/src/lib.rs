//! Locus pipelines: the offline jobs.
