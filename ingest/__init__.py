"""The service around the pure core (extractors/, mappers/), in rooms that say what they hold:

    api/       HTTP only (CONTRACT.md section 3; later the web pages)
    cli/       the `cpd-evidence` command line
    work/      the pipeline, the sandbox, jobs, leases, dispatch and the actions API and CLI share
    year/      the member's year: summary, duplicates, export
    store/     tables, engine and migrations, blobs by sha256, members, uploads, tokens
    settings   the one settings object (CPD_* variables)

Imports go one way: api and cli -> work -> year -> store -> settings (pyproject.toml's import-linter
contracts, checked by tests/test_house.py). worker.py, the Celery app, imports work; nothing imports it.
"""
