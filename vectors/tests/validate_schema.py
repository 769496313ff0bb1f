#!/usr/bin/env python3
"""validate_schema.py VECTORSDIR: validate every vectors/*.json against the
JSON Schema it names (vectors/schema/). Needs the `jsonschema` package; exits
77 (ctest SKIP) when it is not installed, 1 on any violation."""
import json, pathlib, sys
try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    print("jsonschema (with referencing) not installed: skipped")
    sys.exit(77)

vdir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "vectors")
schemas = {p.name: json.loads(p.read_text()) for p in (vdir / "schema").glob("*.json")}
registry = Registry().with_resources(
    [(s["$id"], Resource.from_contents(s)) for s in schemas.values()] +
    [(name, Resource.from_contents(s)) for name, s in schemas.items()])
bad = 0
for f in sorted(vdir.glob("*.json")):
    doc = json.loads(f.read_text())
    schema = schemas.get(doc.get("schema", ""))
    if schema is None:
        print(f"FAIL {f.name}: unknown schema {doc.get('schema')!r}"); bad += 1; continue
    v = jsonschema.Draft202012Validator(schema, registry=registry)
    errs = list(v.iter_errors(doc))
    n = sum(len(g["tests"]) for g in doc["testGroups"])
    if n != doc["numberOfTests"]:
        errs.append(f"numberOfTests {doc['numberOfTests']} != {n}")
    flags = {fl for g in doc["testGroups"] for t in g["tests"] for fl in t["flags"]}
    missing = flags - set(doc["notes"])
    if missing:
        errs.append(f"flags without notes: {sorted(missing)}")
    for e in errs[:5]:
        print(f"FAIL {f.name}: {getattr(e, 'message', e)}")
    bad += bool(errs)
    print(f"{'ok  ' if not errs else 'FAIL'} {f.name} ({n} tests)")
sys.exit(1 if bad else 0)
