#!/usr/bin/env python3
"""Stitch a block of rendered PNG tiles into one image, to look at the seams.

Usage: mosaic.py BUCKET Z X Y OUT.png [RADIUS] [SUFFIX]
  takes the (2*RADIUS+1)^2 tiles around Z/X/Y (default radius 1: a 3x3 block); SUFFIX '@2x' for
  high-DPI tiles. Missing tiles are left grey. Needs Pillow (pip install pillow).
"""
import sys
from pathlib import Path
from PIL import Image

bucket, z, x, y, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
radius = int(sys.argv[6]) if len(sys.argv) > 6 else 1
suffix = sys.argv[7] if len(sys.argv) > 7 else ""
size = None
tiles = {}
for dy in range(-radius, radius + 1):
    for dx in range(-radius, radius + 1):
        p = Path(bucket) / str(z) / str(x + dx) / f"{y + dy}{suffix}.png"
        if p.exists():
            tiles[(dx, dy)] = Image.open(p).convert("RGBA")
            size = tiles[(dx, dy)].size[0]
size = size or 256
side = 2 * radius + 1
canvas = Image.new("RGBA", (side * size, side * size), (128, 128, 128, 255))
for (dx, dy), img in tiles.items():
    canvas.paste(img, ((dx + radius) * size, (dy + radius) * size))
canvas.save(out)
print(f"{out}: {len(tiles)} of {side * side} tiles")
