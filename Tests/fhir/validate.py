#!/usr/bin/python3
"""Validates FHIR R4 Bundles, one JSON document per line on stdin, against HL7's R4 JSON Schema
(argv[1]; draft-06, Debian's python3-jsonschema) resource by resource, and checks what the schema
does not: that every reference resolves inside the Bundle, and the codes of the value sets R4 binds
(request-status, request-intent, request-priority, task-status, task-intent, administrative-gender).
Prints each problem with its place; exits 1 when there is any."""
import json, sys
from jsonschema import Draft6Validator

schema = json.load(open(sys.argv[1]))
validators = {}
bound = {
    ("ServiceRequest", "status"): {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    ("ServiceRequest", "intent"): {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order",
                                   "instance-order", "option"},
    ("ServiceRequest", "priority"): {"routine", "urgent", "asap", "stat"},
    ("Task", "status"): {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold",
                         "failed", "completed", "entered-in-error"},
    ("Task", "intent"): {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order",
                         "option"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
}

def references(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield path, item
            else:
                yield from references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from references(item, f"{path}[{index}]")

problems = []
for number, line in enumerate(sys.stdin):
    bundle = json.loads(line)
    for error in Draft6Validator(schema).iter_errors(bundle):
        problems.append(f"bundle {number}: {error.json_path}: {error.message}")
    urls = {entry.get("fullUrl") for entry in bundle.get("entry", [])}
    for index, entry in enumerate(bundle.get("entry", [])):
        resource = entry["resource"]
        kind = resource["resourceType"]
        place = f"bundle {number}: Bundle.entry[{index}].resource ({kind})"
        validator = validators.setdefault(kind, Draft6Validator({"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]}))
        for error in validator.iter_errors(resource):
            problems.append(f"{place}{error.json_path[1:]}: {error.message}")
        for (resource_kind, element), codes in bound.items():
            if kind == resource_kind and element in resource and resource[element] not in codes:
                problems.append(f"{place}.{element}: {resource[element]} is not a code of its value set")
        for path, reference in references(resource, ""):
            if reference not in urls:
                problems.append(f"{place}{path}: {reference} does not resolve inside the Bundle")
print("\n".join(problems))
sys.exit(1 if problems else 0)
