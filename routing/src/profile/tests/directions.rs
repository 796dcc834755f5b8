//! Directions: oneway, implied oneway, the bicycle's lanes, contraflow and pushing.

use super::*;

#[test]
fn oneway() {
    check_all(&[
        // car/oneway.feature
        (C, "highway=primary oneway=yes", "65/x"),
        (C, "highway=primary oneway=1", "65/x"),
        (C, "highway=primary oneway=true", "65/x"),
        (C, "highway=primary oneway=-1", "x/65"),
        (C, "highway=primary oneway=no", "65/65"),
        (C, "highway=primary oneway=perhaps", "65/65"),
        (C, "highway=primary oneway=reversible", "-"),
        (C, "highway=primary oneway=alternating", "65/65"),
        (C, "highway=primary oneway:motorcar=yes", "65/x"),
        (C, "highway=primary oneway:motor_vehicle=yes", "65/x"),
        (C, "highway=primary oneway:vehicle=yes", "65/x"),
        (C, "highway=primary oneway:motorcar=yes oneway:motor_vehicle=no", "65/x"),
        (C, "highway=primary oneway:vehicle=yes oneway=no", "65/x"),
        (C, "highway=primary oneway:motorcar=no oneway:motor_vehicle=yes", "65/65"),
        (C, "highway=primary oneway:vehicle=no oneway=yes", "65/65"),
        (C, "highway=primary oneway=yes oneway:bicycle=no", "65/x"),
        (C, "highway=primary oneway=-1 oneway:bicycle=yes", "x/65"),
        (C, "highway=primary junction=roundabout oneway:bicycle=-1", "65/x roundabout"),
        (C, "highway=motorway", "90/x"),
        (C, "highway=motorway oneway=no", "90/90"),
        (C, "highway=motorway_link", "45/45 link"),
        (C, "highway=motorway_link oneway=yes", "45/x link"),
        (C, "highway=motorway junction=roundabout", "90/x roundabout"),
        (C, "highway=motorway_link junction=roundabout", "45/x roundabout link"),
        (C, "highway=primary junction=roundabout", "65/x roundabout"),
        (C, "highway=primary junction=circular", "65/x roundabout"),
        (C, "highway=primary junction=roundabout oneway=no", "65/65 roundabout"),
        (C, "highway=primary junction=roundabout oneway=-1", "x/65 roundabout"),
        (C, "highway=primary oneway=yes tracktype=grade5 smoothness=very_bad surface=mud", "10/x"),
        // foot/oneway.feature: only oneway:foot.
        (W, "highway=primary oneway=yes", "5/5"),
        (W, "highway=primary oneway=-1", "5/5"),
        (W, "highway=primary junction=roundabout", "5/5 roundabout"),
        (W, "highway=footway oneway:foot=yes", "5/x"),
        (W, "highway=footway oneway:foot=yes oneway=-1", "5/x"),
        (W, "highway=footway oneway:foot=no oneway=yes", "5/5"),
        (W, "highway=footway oneway:foot=-1 junction=roundabout", "x/5 roundabout"),
        (W, "highway=motorway oneway:foot=no", "-"),
        // bicycle/oneway.feature (foot=no: no pushing back)
        (B, "highway=primary foot=no oneway=yes", "15/x"),
        (B, "highway=primary foot=no oneway=-1", "x/15"),
        (B, "highway=primary foot=no oneway=nonsense", "15/15"),
        (B, "highway=primary foot=no junction=roundabout", "15/x roundabout"),
        (B, "highway=primary foot=no junction=roundabout oneway=no", "15/15 roundabout"),
        (B, "highway=primary foot=no junction=roundabout oneway=-1", "x/15 roundabout"),
        (B, "highway=motorway_link foot=no oneway=-1", "-"),
        (B, "highway=primary foot=no oneway:bicycle=yes oneway=no", "15/x"),
        (B, "highway=primary foot=no oneway:bicycle=no oneway=yes", "15/15"),
        (B, "highway=primary foot=no oneway:bicycle=no junction=roundabout", "15/15 roundabout"),
        (B, "highway=primary foot=no oneway:bicycle=-1 oneway=yes", "x/15"),
        (B, "highway=primary foot=no oneway=yes oneway:car=no", "15/x"),
        (B, "highway=primary foot=no junction=roundabout oneway:car=no", "15/x roundabout"),
        // Pushing against the flow (bicycle/pushing.feature), not on roundabouts.
        (B, "highway=primary oneway=yes", "15/4p"),
        (B, "highway=primary oneway=-1", "4p/15"),
        (B, "highway=pedestrian oneway=yes", "4p/4p"),
        (B, "highway=primary junction=roundabout", "15/x roundabout"),
    ]);
}

#[test]
fn cycle_lanes_and_contraflow() {
    check_all(&[
        // bicycle/oneway.feature "Contra flow"
        (B, "highway=primary foot=no oneway=yes cycleway=opposite", "15/15"),
        (B, "highway=primary foot=no oneway=yes cycleway=opposite_track", "15/15"),
        (B, "highway=primary foot=no oneway=-1 cycleway=opposite_lane", "15/15"),
        (B, "highway=primary foot=no oneway=no cycleway=opposite", "15/15"),
        (B, "highway=residential foot=no oneway=-1 cycleway:left=opposite_track", "15/15"),
        (B, "highway=residential oneway=yes cycleway:both=opposite_lane", "15/15"),
        // bicycle/cycleway.feature: lanes open closed classes, in their direction.
        (B, "highway=motorway cycleway=track", "15/x"),
        (B, "highway=motorway cycleway=lane", "15/x"),
        (B, "highway=motorway cycleway=opposite", "15/15"),
        (B, "highway=motorway cycleway:right=track", "15/x"),
        (B, "highway=motorway cycleway:left=track cycleway:right=opposite", "15/15"),
        (B, "highway=some_tag cycleway=sharrow", "15/15"),
        (B, "highway=primary cycleway=yes", "15/15"),
        (B, "highway=motorway cycleway=yes", "-"),
        (B, "highway=motorway cycleway=track access=no", "-"),
        (B, "highway=footway cycleway=lane access=yes", "15/15"),
        (B, "highway=track cycleway=track", "15/15"),
        (B, "highway=primary oneway=yes cycleway:right=track", "15/4p"),
    ]);
}
