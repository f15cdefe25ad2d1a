"""Write the bundled sample municipality (seeded, so the files are reproducible).

    python sample_data/generate.py                      # exempelkommun.xlsx + exempelkommun_2024.xlsx
    python sample_data/generate.py --size municipality --out /tmp/m.xlsx   # benchmark sizes
    python sample_data/generate.py --size country --out /tmp/country/      # a folder of workbooks

Sizes: sample (~250 goals), municipality (~2,000 goals, ~8,000 indicator rows),
city (~20,000 goals, ~80,000 rows), country (290 municipalities + 21 regions).
`--flat` writes the flat export layout (title rows, merged goal cells) instead.
The writer is byte-reproducible: the same seed gives the same files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from goalload import samplegen  # noqa: E402
from goalload.template import document_to_workbook_bytes  # noqa: E402

SEED = 2025
SIZES = {"sample": None, "municipality": 2_000, "city": 20_000}


def _writer(flat: bool):
    if flat:
        from goalload.samplegen import document_to_flat_workbook_bytes

        return document_to_flat_workbook_bytes
    return document_to_workbook_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=[*SIZES, "country"], default=None)
    parser.add_argument("--out", type=Path, default=None, help="file (or folder for --size country)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--flat", action="store_true", help="flat export layout instead of the template")
    parser.add_argument("--one-workbook", action="store_true", help="country: all documents in one workbook")
    args = parser.parse_args(argv)
    write = _writer(args.flat)
    started = time.perf_counter()
    if args.size is None:
        doc = samplegen.generate_document(seed=args.seed)
        (HERE / "exempelkommun.xlsx").write_bytes(write(doc))
        previous, _changes = samplegen.generate_previous_year(doc, seed=args.seed)
        (HERE / "exempelkommun_2024.xlsx").write_bytes(write(previous))
        print(f"skrev {HERE / 'exempelkommun.xlsx'} och {HERE / 'exempelkommun_2024.xlsx'}")
        return 0
    if args.out is None:
        parser.error("--out krävs tillsammans med --size")
    if args.size == "country":
        names = samplegen.load_municipality_names(HERE.parent.parent / "shared/kolada/municipalities.csv")
        docs = samplegen.generate_country(args.seed, names=names)
        if args.one_workbook:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(samplegen.country_workbook_bytes(docs, flat=args.flat))
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            for i, doc in enumerate(docs):
                (args.out / f"{i:03d}_{samplegen.file_stem(doc.name)}.xlsx").write_bytes(write(doc))
        rows = sum(d.indicators.height for d in docs)
        goals = sum(d.goals.height for d in docs)
        print(f"{len(docs)} dokument, {goals} mål, {rows} indikatorrader, {time.perf_counter() - started:.1f} s -> {args.out}")
        return 0
    doc = samplegen.generate_document(seed=args.seed, goals=SIZES[args.size])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(write(doc))
    print(
        f"{doc.goals.height} mål, {doc.indicators.height} indikatorer, "
        f"{time.perf_counter() - started:.1f} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
