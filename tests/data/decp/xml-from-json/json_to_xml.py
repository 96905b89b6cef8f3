#!/usr/bin/env python3
"""Writes a DECP JSON file (2024 format) as DECP XML, mechanically: one element per key; a list
is written as its items repeated (`{"titulaire": …}` items inside <titulaires>, strings of a
wrapped list inside their wrapper). Used once to make the XML twins of the JSON examples for the
tests (tests/data/decp/xml-from-json/); kept for regeneration: python3 json_to_xml.py IN.json OUT.xml"""
import json
import sys
from xml.sax.saxutils import escape


def value(out, name, v, indent):
    pad = "  " * indent
    if isinstance(v, dict):
        out.append(f"{pad}<{name}>")
        for k, x in v.items():
            if isinstance(x, list) and all(not isinstance(i, (dict, list)) for i in x):
                # the strings of a wrapped list ({"technique": [...]}): repeated elements
                for item in x:
                    value(out, k, item, indent + 1)
            else:
                value(out, k, x, indent + 1)
        out.append(f"{pad}</{name}>")
    elif isinstance(v, list):
        out.append(f"{pad}<{name}>")
        for item in v:
            if isinstance(item, dict) and len(item) == 1:
                (k, x), = item.items()
                value(out, k, x, indent + 1)
            else:
                value(out, name[:-1], item, indent + 1)
        out.append(f"{pad}</{name}>")
    elif v is None:
        out.append(f"{pad}<{name}/>")
    elif isinstance(v, bool):
        out.append(f"{pad}<{name}>{'true' if v else 'false'}</{name}>")
    else:
        out.append(f"{pad}<{name}>{escape(str(v))}</{name}>")


def main(src, dst):
    root = json.load(open(src, encoding="utf-8"))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<marches>"]
    for kind in ("marche", "contrat-concession"):
        for rec in root["marches"].get(kind, []) or []:
            value(out, kind, rec, 1)
    out.append("</marches>")
    open(dst, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
