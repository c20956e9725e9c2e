#!/usr/bin/python3
"""Validates JSON lines (files given, or stdin) against docs/json-schema.json.
Prints one TAP line, and the first failures. Debian's python3-jsonschema."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft7Validator(schema)
lines = bad = 0
failures = []
for path in sys.argv[2:] or ["-"]:
    f = sys.stdin if path == "-" else open(path, errors="replace")
    for n, line in enumerate(f, 1):
        line = line.strip()
        if not line.startswith("{"):
            continue
        lines += 1
        try:
            doc = json.loads(line)
        except ValueError as e:
            bad += 1
            failures.append(f"{path}:{n}: not JSON: {e}: {line[:200]}")
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        if errors:
            bad += 1
            best = jsonschema.exceptions.best_match(errors)
            failures.append(f"{path}:{n}: {best.message} at {list(best.absolute_path)}: {line[:300]}")
status = "ok" if not bad and lines else "not ok"
print(f"{status} - every JSON line the suite printed matches docs/json-schema.json ({lines} lines, {bad} bad)")
for f in failures[:20]:
    print("# " + f)
sys.exit(0 if status == "ok" else 1)
