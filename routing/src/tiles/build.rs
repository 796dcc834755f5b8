//! Cutting one profile's graph into tiles and writing them under a profile root
//! (`{root}/{level}/AAA/BBB/CCC.tile`).

use super::chains::{RoadGraph, RoadTurn};
use super::components::small_edges;
use super::customize::customize;
use super::format::{
    ShapePoint, TileData, TileEdge, TileNode, TileTurn, TileWay, NODE_BARRIER, NODE_DEAD_END, NODE_JUNCTION,
    NODE_LEFT_HAND, NODE_VIA,
};
use super::id::{level_of, EdgeRef, NodeRef, TileKey, LEVEL_SIZES_DEG};
use super::landmarks::compute as compute_landmarks;
use super::manifest::{LevelManifest, OverlayManifest, ProfileManifest};
use super::overlay::OVERLAY_FILE;
use super::partition::{leaf_cells, CellLayout};
use super::store::TileStore;
use crate::graph::Graph;
use rustc_hash::FxHashMap;
use std::path::Path;

/// How tiles are cut.
#[derive(Debug, Clone, Copy)]
pub struct TileOptions {
    /// About how many nodes a leaf cell of the overlay holds ([`super::partition`]).
    pub cell_nodes: usize,
    /// Threads computing the overlay.
    pub threads: usize,
}

impl Default for TileOptions {
    fn default() -> Self {
        TileOptions { cell_nodes: 64, threads: std::thread::available_parallelism().map_or(1, |n| n.get()) }
    }
}

/// What a build is doing, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildStage {
    /// Tiles written.
    Tiles,
    /// Overlay cells computed.
    Overlay,
}

/// Writes `graph`'s tiles and overlay under `root` and describes them.
pub fn write_tiles(graph: &Graph, root: &Path) -> std::io::Result<ProfileManifest> {
    write_tiles_with(graph, root, TileOptions::default(), &|_, _, _| {})
}

/// [`write_tiles`] with `options`, calling `progress(stage, done, in all)` as it goes.
pub fn write_tiles_with(
    graph: &Graph,
    root: &Path,
    options: TileOptions,
    progress: &(dyn Fn(BuildStage, usize, usize) + Sync),
) -> std::io::Result<ProfileManifest> {
    let road = RoadGraph::contract(graph);
    let layout = CellLayout::for_size(road.nodes.len(), options.cell_nodes);
    let coords: Vec<_> = road.nodes.iter().map(|&flat| graph.coord(flat)).collect();
    let links: Vec<(u32, u32)> = road.edges.iter().map(|e| (e.from, e.to)).collect();
    let leaf = leaf_cells(&coords, &links, layout, options.cell_nodes, options.threads);
    drop(links);
    drop(coords);
    let small_edge = small_edges(graph, &road);
    let road_weights: Vec<u32> = road
        .edges
        .iter()
        .map(|e| road.flat(e).iter().fold(0u32, |sum, &f| sum.saturating_add(graph.weights().get(f))))
        .collect();
    let landmarks = compute_landmarks(&road, &road_weights);
    let class_of = |e: usize| graph.edge(road.flat(&road.edges[e])[0]).class;

    // A node lives at the level of the most important road it touches.
    let mut level = vec![u8::MAX; road.nodes.len()];
    for (i, e) in road.edges.iter().enumerate() {
        let l = level_of(class_of(i));
        for n in [e.from, e.to] {
            level[n as usize] = level[n as usize].min(l);
        }
    }
    let key_of: Vec<TileKey> =
        road.nodes.iter().zip(&level).map(|(&flat, &l)| TileKey::of(l.min(2), graph.coord(flat))).collect();
    let mut order: Vec<u32> = (0..road.nodes.len() as u32).collect();
    order.sort_by_key(|&n| (key_of[n as usize], n));
    let mut node_ref = vec![NodeRef(0); road.nodes.len()];
    let mut tiles: Vec<(TileKey, Vec<u32>)> = Vec::new();
    for &n in &order {
        let key = key_of[n as usize];
        if tiles.last().is_none_or(|(k, _)| *k != key) {
            tiles.push((key, Vec::new()));
        }
        let (_, members) = tiles.last_mut().expect("pushed above");
        node_ref[n as usize] = NodeRef::new(key, members.len() as u32);
        members.push(n);
    }

    // Each edge's id in its tile.
    let mut edge_ref = vec![EdgeRef(0); road.edges.len()];
    for (key, members) in &tiles {
        let mut local = 0u32;
        for &n in members {
            for &e in road.out_edges(n) {
                edge_ref[e as usize] = EdgeRef::new(*key, local);
                local += 1;
            }
        }
    }
    let mut turns_at: FxHashMap<u32, Vec<TileTurn>> = FxHashMap::default();
    let mut add_turn = |from: u32, to: u32, only: bool| {
        let via = road.edges[from as usize].to;
        turns_at.entry(via).or_default().push(TileTurn {
            via: node_ref[via as usize].local(),
            from: edge_ref[from as usize],
            only,
            to: edge_ref[to as usize].local(),
        });
    };
    for t in &road.turns {
        match t {
            RoadTurn::Forbidden { from, to } => add_turn(*from, *to, false),
            RoadTurn::Only { from, to } => to.iter().for_each(|&t| add_turn(*from, t, true)),
        }
    }

    let mut levels: Vec<LevelManifest> = LEVEL_SIZES_DEG
        .iter()
        .enumerate()
        .map(|(l, &size_deg)| LevelManifest {
            level: l as u8,
            size_deg,
            tiles: Vec::new(),
            bytes: 0,
            overhang_deg: 0.0,
        })
        .collect();
    for (done, (key, members)) in tiles.iter().enumerate() {
        progress(BuildStage::Tiles, done, tiles.len());
        let mut data = TileData {
            key: *key,
            mode: graph.mode(),
            nodes: Vec::with_capacity(members.len()),
            edges: Vec::new(),
            shape: Vec::new(),
            ways: Vec::new(),
            turns: Vec::new(),
            landmark_count: landmarks.count() as u16,
            landmarks: members.iter().flat_map(|&n| landmarks.of_node(n as usize)).collect(),
        };
        let mut way_index: FxHashMap<u32, u32> = FxHashMap::default();
        for &n in members {
            let flat = road.nodes[n as usize];
            let mut flags = 0;
            if graph.is_blocked(flat) {
                flags |= NODE_BARRIER;
            }
            if graph.turns().is_via(flat) {
                flags |= NODE_VIA;
            }
            if graph.driving_side(flat) == crate::driving_side::DrivingSide::Left {
                flags |= NODE_LEFT_HAND;
            }
            match graph.degree(flat) {
                0 | 1 => flags |= NODE_DEAD_END,
                2 => {}
                _ => flags |= NODE_JUNCTION,
            }
            let cell = leaf[n as usize];
            data.nodes.push(TileNode { at: graph.coord(flat), first_edge: data.edges.len() as u32, flags, cell });
            for &e in road.out_edges(n) {
                let edge = &road.edges[e as usize];
                let flats = road.flat(edge);
                let first = graph.edge(flats[0]);
                let way = *way_index.entry(first.way).or_insert_with(|| {
                    let info = &graph.ways()[first.way as usize];
                    data.ways.push(TileWay {
                        osm_id: info.osm_id,
                        name: info.name.clone(),
                        reference: info.reference.clone(),
                    });
                    data.ways.len() as u32 - 1
                });
                let shape_start = data.shape.len() as u32;
                let mut cum = 0u32;
                data.shape.push(ShapePoint { at: graph.coord(first.from), cum_ms: 0 });
                for &f in flats {
                    cum = cum.saturating_add(graph.weights().get(f));
                    data.shape.push(ShapePoint { at: graph.coord(graph.edge(f).to), cum_ms: cum });
                }
                data.edges.push(TileEdge {
                    to: node_ref[edge.to as usize],
                    twin: edge.twin.map(|t| edge_ref[t as usize]),
                    way,
                    shape_start,
                    shape_len: data.shape.len() as u32 - shape_start,
                    class: first.class,
                    flags: first.flags,
                    bearing_start: graph.bearing(flats[0]),
                    bearing_end: graph.bearing(flats[flats.len() - 1]),
                    small_component: small_edge[e as usize],
                });
            }
            if let Some(mut turns) = turns_at.remove(&n) {
                data.turns.append(&mut turns);
            }
        }
        let overhang = overhang_deg(&data);
        let bytes = data.encode();
        let path = root.join(key.relative_path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &bytes)?;
        let level = &mut levels[usize::from(key.level)];
        level.tiles.push(key.index);
        level.bytes += bytes.len() as u64;
        level.overhang_deg = level.overhang_deg.max(overhang);
    }
    progress(BuildStage::Tiles, tiles.len(), tiles.len());

    let mut manifest = ProfileManifest {
        mode: graph.mode().name().to_owned(),
        max_speed_mps: max_speed_mps(graph),
        flat_nodes: graph.node_count() as u64,
        flat_edges: graph.edge_count() as u64,
        nodes: road.nodes.len() as u64,
        edges: road.edges.len() as u64,
        turn_restrictions: road.turns.len() as u64,
        levels,
        overlay: None,
    };
    drop(road);
    if layout.levels > 0 {
        let started = std::time::Instant::now();
        let store = TileStore::open(root, graph.mode(), manifest.clone(), 1 << 30);
        let overlay =
            customize(&store, layout, options.threads, &|done, total| progress(BuildStage::Overlay, done, total))
                .map_err(std::io::Error::other)?;
        overlay.write(root)?;
        manifest.overlay = Some(OverlayManifest {
            leaf_bits: layout.leaf_bits,
            levels: layout.levels,
            cells: (1..=overlay.depth()).map(|l| overlay.cell_count(l) as u64).collect(),
            boundary_edges: (1..=overlay.depth()).map(|l| overlay.entry_count(l) as u64).collect(),
            bytes: std::fs::metadata(root.join(OVERLAY_FILE))?.len(),
            customize_ms: started.elapsed().as_millis() as u64,
        });
    }
    Ok(manifest)
}

/// How far the tile's shapes reach past its bounds, in degrees.
fn overhang_deg(tile: &TileData) -> f64 {
    let ((south, west), (north, east)) = tile.key.bounds();
    tile.shape.iter().fold(0.0f64, |worst, p| {
        let (lat, lng) = (p.at.lat(), p.at.lng());
        worst.max(south - lat).max(lat - north).max(west - lng).max(lng - east)
    })
}

/// The fastest any edge is travelled: length over weight. Every weight is at least 1 ms, so
/// this is finite; a little headroom covers the rounding of positions to 1e-7 degrees.
fn max_speed_mps(graph: &Graph) -> f64 {
    let fastest = graph
        .edges()
        .iter()
        .zip(graph.weights().as_slice())
        .filter(|(_, &w)| w != u32::MAX && w > 0)
        .map(|(e, &w)| e.length_m / (f64::from(w) / 1000.0))
        .fold(1.0f64, f64::max);
    fastest * 1.01
}
