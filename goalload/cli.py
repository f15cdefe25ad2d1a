"""Command line: `python -m goalload <command> FILE ...`.

The library raises; only here (and in the app) does an error become a message. Exit 0
with the result on stdout, exit 2 with a short Swedish message on stderr when the
input is rejected, never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from goalload.errors import GoalloadError, InputError

EXIT_OK = 0
EXIT_INPUT = 2


def _read(path: str, sheet: str | None = None):
    from goalload.read import read_path

    return read_path(path, sheet=sheet)


def _analyze(args) -> dict:
    from goalload.metrics import analyze

    return analyze(_read(args.file, args.sheet))


def _overlap(args) -> dict:
    from goalload import overlap

    kwargs = {} if args.threshold is None else {"threshold": args.threshold}
    return overlap.overlap_json(_read(args.file, args.sheet), **kwargs)


def _recommend(args) -> dict:
    from goalload import recommend

    kwargs = {} if args.goal_cap is None else {"goal_cap": args.goal_cap}
    return recommend.recommend_json(_read(args.file, args.sheet), **kwargs)


def _compare(args) -> dict:
    from goalload import compare

    return compare.compare_json([_read(path) for path in args.files])


def _kolada(args) -> dict:
    from goalload import kolada

    catalogue = kolada.require_catalogue(user_csv=args.catalogue)
    return kolada.kolada_json(_read(args.file, args.sheet), catalogue)


def _report(args) -> dict:
    from goalload import export

    out = Path(args.out)
    export.write_report(_read(args.file, args.sheet), out, lang=args.lang)
    return {"written": str(out), "lang": args.lang}


def _survey(args) -> dict:
    from goalload import survey

    result = survey.survey_json(args.paths, workers=args.workers)
    if not result["documents"]:
        raise InputError("Hittade inga arbetsböcker (.xlsx .xlsm .xls .ods .csv) där. "
                         "Ange en mapp med måldokument eller filerna själva.")
    if args.out:
        survey.write_table(result, Path(args.out))
    return result


def _render_analyze(result: dict) -> str:
    from goalload.tables import render_analyze

    return render_analyze(result)


def _renderer(module: str) -> Callable[[dict], str]:
    def render(result: dict) -> str:
        import importlib

        return importlib.import_module(f"goalload.{module}").render_table(result)

    return render


COMMANDS: dict[str, tuple[Callable, Callable[[dict], str] | None, str]] = {
    "analyze": (_analyze, _render_analyze, "målbörda per enhet (mål, indikatorer, uppdrag)"),
    "overlap": (_overlap, _renderer("overlap"), "dubbletter, genomlyftade mål, delade indikatorer"),
    "recommend": (_recommend, _renderer("recommend"), "förslag på minskad detaljstyrning"),
    "compare": (_compare, _renderer("compare"), "jämför år eller kommuner"),
    "kolada": (_kolada, _renderer("kolada"), "indikatorer som finns i Kolada"),
    "report": (_report, None, "skriv rapport (.xlsx, .html, .pptx efter filändelsen)"),
    "survey": (_survey, _renderer("survey"), "många dokument: en rad per kommun eller region"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m goalload",
        description="Goalload: se och minska målbördan i en kommuns styrdokument.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, renderer, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == "compare":
            p.add_argument("files", nargs="+", metavar="FILE", help="två eller fler arbetsböcker")
        elif name == "survey":
            p.add_argument("paths", nargs="+", metavar="MAPP_ELLER_FIL",
                           help="mappar med arbetsböcker och/eller arbetsböcker")
            p.add_argument("--workers", type=int,
                           help="antal processer (standard: en per kärna)")
            p.add_argument("--out", help="spara tabellen som .xlsx eller .csv")
        else:
            p.add_argument("file", metavar="FILE", help="arbetsbok (.xlsx .xlsm .xls .ods .csv)")
            p.add_argument("--sheet", help="läs målen från bara detta blad")
        if renderer is not None:
            p.add_argument("--format", choices=["json", "table"], default="json")
        if name == "overlap":
            p.add_argument("--threshold", type=float, help="likhetströskel 0–1")
        if name == "recommend":
            p.add_argument("--goal-cap", type=int, help="högsta antal egna mål per enhet (standard 10)")
        if name == "kolada":
            p.add_argument("--catalogue", help="Kolada-katalog som CSV (id,title,...)")
        if name == "report":
            p.add_argument("--out", required=True, help="utfil: .xlsx, .html eller .pptx")
            p.add_argument(
                "--lang", choices=["sv", "en"], default="sv", help="rapportens språk (standard sv)"
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run, renderer, _ = COMMANDS[args.command]
    try:
        result = run(args)
    except InputError as exc:
        print(f"Fel: {exc.message}", file=sys.stderr)
        return EXIT_INPUT
    except GoalloadError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if getattr(args, "format", "json") == "table" and renderer is not None:
        print(renderer(result))
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    return EXIT_OK
