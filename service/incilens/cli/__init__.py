"""The ``incilens`` command: ``analyze`` text, ``lookup`` an ingredient, ``serve`` the API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from incilens.cli.render import render_card, render_report
from incilens.errors import ConfigError, KnowledgeBaseError
from incilens.http.serving import THREADS, WORKERS
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase

__all__ = ["main"]


def _lookup(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.load(args.kb or DEFAULT_KB_PATH)
    ing = kb.lookup(args.name)
    if ing is None:
        suggestions = kb.suggest(args.name)
        msg = f"no ingredient called {args.name!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(suggestions)
        print(f"incilens: {msg}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(ing.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_card(ing))
    return 0


def _read_profile(path: str | None) -> Any:
    from incilens.core.profile import Profile
    from incilens.http.schemas import ProfileModel

    if not path:
        return Profile()
    try:
        with open(path, encoding="utf-8") as fh:  # noqa: PTH123 - a user-given path
            raw = json.load(fh)
        return Profile(**ProfileModel.model_validate(raw).model_dump())
    except (OSError, ValueError) as e:
        if isinstance(e, ValidationError):
            first = e.errors()[0]
            detail = ".".join(map(str, first["loc"])) + ": " + first["msg"]
        else:
            detail = str(e)
        raise SystemExit(f"incilens: cannot use profile {path!r}: {detail}") from e


def _analyze(args: argparse.Namespace) -> int:
    from incilens.errors import ServiceError
    from incilens.ocr.tesseract import TesseractEngine
    from incilens.pipeline import analyze_image, analyze_text, build_matcher

    if (args.photo is None) == (args.text is None):
        print("incilens: give a photo or --text (one of them)", file=sys.stderr)
        return 1
    profile = _read_profile(args.profile)
    if args.photo is not None:
        try:
            with open(args.photo, "rb") as fh:  # noqa: PTH123 - a user-given path
                data = fh.read()
        except OSError as e:
            print(f"incilens: cannot read {args.photo!r}: {e.strerror}", file=sys.stderr)
            return 1
        kb = KnowledgeBase.load(args.kb or DEFAULT_KB_PATH)
        try:
            report = analyze_image(
                data, kb=kb, matcher=build_matcher(kb), engine=TesseractEngine(), profile=profile
            )
        except ServiceError as e:
            print(f"incilens: {e.message}", file=sys.stderr)
            return 1
    else:
        text = sys.stdin.read() if args.text == "-" else args.text
        if not text.strip():
            print(
                "incilens: the text is empty; pass --text 'Aqua, Glycerin' or --text -",
                file=sys.stderr,
            )
            return 1
        kb = KnowledgeBase.load(args.kb or DEFAULT_KB_PATH)
        report = analyze_text(text, kb=kb, matcher=build_matcher(kb), profile=profile)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_report(report))
    return 0 if report.list_found else 3


def _serve(args: argparse.Namespace) -> int:
    from incilens import create_app
    from incilens.http.serving import serve

    config = {"KB_PATH": args.kb} if args.kb else None
    app = create_app(config)  # built before forking: the workers share the knowledge base
    serve(app, host=args.host, port=args.port, workers=args.workers, threads=args.threads)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``incilens`` command."""
    parser = argparse.ArgumentParser(prog="incilens", description=__doc__)
    parser.add_argument("--kb", help="knowledge-base file (default: the packaged one)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_analyze = sub.add_parser("analyze", help="analyse a label photo or a list given as text")
    p_analyze.add_argument("photo", nargs="?", help="a photo of the label (JPEG, PNG, HEIC ...)")
    p_analyze.add_argument("--text", help="the text holding the list ('-' reads standard input)")
    p_analyze.add_argument("--profile", help="a JSON profile file (skin_type, concerns, avoid ...)")
    p_analyze.add_argument("--json", action="store_true", help="print the JSON report")
    p_analyze.set_defaults(func=_analyze)
    p_lookup = sub.add_parser("lookup", help="show everything known about one ingredient")
    p_lookup.add_argument("name", help="INCI name, synonym or id (e.g. 'Vitamin E')")
    p_lookup.add_argument("--json", action="store_true", help="print the JSON record")
    p_lookup.set_defaults(func=_lookup)
    p_serve = sub.add_parser(
        "serve",
        help="run the HTTP API under gunicorn",
        description="Serve the API and web page under gunicorn with the measured settings; "
        "GUNICORN_CMD_ARGS overrides any gunicorn setting.",
    )
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--workers", type=int, default=WORKERS, help=f"default {WORKERS}")
    p_serve.add_argument("--threads", type=int, default=THREADS, help=f"default {THREADS}")
    p_serve.set_defaults(func=_serve)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (KnowledgeBaseError, ConfigError) as e:
        print(f"incilens: {e.message}", file=sys.stderr)
        return 2
