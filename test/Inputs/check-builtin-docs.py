#!/usr/bin/env python3
"""Checks the docs' lists of builtins, functions and probe kinds against the table.

usage: check-builtin-docs.py LISTING README.md docs/LANGUAGE.md script.dict

LISTING is `btc --list-builtins` (include/bt/Basic/*.def). Prints one line per
disagreement and exits 1, or prints a summary and exits 0.
"""
import re
import sys

KEYWORDS = {"if", "else", "unroll", "while", "for", "return", "break", "continue", "let",
            "sizeof", "offsetof", "struct", "union", "enum", "config"}


def read_listing(path):
    t = {k: set() for k in ("builtin", "builtin-not-yet", "function", "function-not-yet",
                            "probe", "probe-not-yet", "probe-canonical", "builtin-alias",
                            "function-alias")}
    for line in open(path):
        words = line.split()
        kind, name, status = words[0], words[1], words[2]
        if kind.endswith("-alias"):
            t[kind].add(name)
            continue
        supported = status == "supported"
        if kind == "probe-kind":
            if supported:
                t["probe"].update(words[3:])
                t["probe-canonical"].add(words[3])
            else:
                t["probe-not-yet"].add(name)
        else:
            t[kind + ("" if supported else "-not-yet")].add(name)
    return t


def bullet(path, label):
    """The words of the bullet `- LABEL: ...` (with its continuation lines), taken from
    its backquoted spans without what is in parentheses."""
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("- " + label + ":"):
            text = line
            for more in lines[i + 1:]:
                if not more.startswith("  "):
                    break
                text += " " + more
            break
    else:
        return None
    words = set()
    for span in re.findall(r"`([^`]*)`", text):
        while re.search(r"\([^()]*\)", span):
            span = re.sub(r"\([^()]*\)", "", span)
        for w in re.split(r"[\s/]+", span):
            if re.fullmatch(r"[A-Za-z_]\w*|[a-z]+0\.\.[a-z]+\d", w):
                words.add(w)
    return words


problems = []


def compare(where, documented, table):
    if documented is None:
        problems.append(f"{where}: the list is missing")
        return
    extra, missing = sorted(documented - table), sorted(table - documented)
    if extra:
        problems.append(f"{where}: documented but not in the table: {' '.join(extra)}")
    if missing:
        problems.append(f"{where}: in the table but not documented: {' '.join(missing)}")


def family_member(name, names):
    """arg3 -> arg0..arg9 when that family is in names."""
    m = re.fullmatch(r"([a-z]+)(\d{1,3})", name)
    return m and any(n.startswith(m.group(1) + "0..") for n in names)


def check_dict(path, t):
    builtins = t["builtin"] | t["builtin-not-yet"] | t["builtin-alias"]
    functions = t["function"] | t["function-not-yet"] | t["function-alias"]
    seen_builtins, seen_functions, seen_probes = set(), set(), set()
    for line in open(path):
        line = line.strip()
        if not line.startswith('"'):
            continue
        entry = line[1:-1]
        m = re.match(r"([A-Za-z_]\w*)(.?)", entry)
        if not m:
            continue
        word, after = m.group(1), m.group(2)
        if after == "(":
            if word in functions:
                seen_functions.add(word)
            elif word not in KEYWORDS:
                problems.append(f"{path}: '{word}(' is no function in the table")
        elif after == ":" and entry.endswith(":"):
            if word in t["probe"] | t["probe-not-yet"]:
                seen_probes.add(word)
            else:
                problems.append(f"{path}: '{word}:' is no probe kind in the table")
        elif after in ("", "-", "."):
            if word in builtins or family_member(word, builtins):
                seen_builtins.add(word)
            elif word in t["probe"]:
                seen_probes.add(word)
            elif word not in KEYWORDS:
                problems.append(f"{path}: '{word}' is no builtin in the table")
    for b in sorted(t["builtin"]):
        name = b.split("..")[0]
        if name not in seen_builtins:
            problems.append(f"{path}: builtin {name} is missing")
    for f in sorted(t["function"] - seen_functions):
        problems.append(f"{path}: function {f}( is missing")
    for p in sorted(t["probe-canonical"] - seen_probes):
        problems.append(f"{path}: probe kind {p} is missing")


def main():
    listing, readme, language, dictionary = sys.argv[1:5]
    t = read_listing(listing)
    compare(f"{readme} Builtins", bullet(readme, "Builtins"), t["builtin"])
    compare(f"{readme} Functions", bullet(readme, "Functions"), t["function"])
    compare(f"{language} Builtins", bullet(language, "Builtins"), t["builtin"])
    compare(f"{language} Builtins not supported yet",
            bullet(language, "Builtins not supported yet"), t["builtin-not-yet"])
    compare(f"{language} Builtin aliases", bullet(language, "Builtin aliases"),
            t["builtin-alias"])
    compare(f"{language} Functions", bullet(language, "Functions"), t["function"])
    compare(f"{language} Function aliases", bullet(language, "Function aliases"),
            t["function-alias"])
    compare(f"{language} Functions not supported yet",
            bullet(language, "Functions not supported yet"), t["function-not-yet"])
    compare(f"{language} Probe kinds", bullet(language, "Probe kinds (with their short forms)"),
            t["probe"])
    compare(f"{language} Probe kinds not supported yet",
            bullet(language, "Probe kinds not supported yet"), t["probe-not-yet"])
    check_dict(dictionary, t)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"docs agree with the table: {len(t['builtin'])} builtins, "
          f"{len(t['function'])} functions, {len(t['probe-canonical'])} probe kinds")
    return 0


sys.exit(main())
