#!/usr/bin/env python3
"""Writes a bash completion for a tool from its own --help (the option table in its
main.cpp is the one source): every -x and --long option it lists, files otherwise.

usage: completion.py TOOL_BINARY NAME > NAME
"""
import re, subprocess, sys

binary, name = sys.argv[1:3]
text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
options = []
for line in text.splitlines():
    # Boost.Program_options lists each option as "  -x [ --long ] arg  help" or "  --long ...".
    m = re.match(r"^  (-\w)? ?\[? ?(--[\w-]+)", line)
    if m:
        options += [o for o in m.groups() if o]
func = "_" + re.sub(r"\W", "_", name)
print(f"# bash completion for {name}, generated from `{name} --help` by packaging/completion.py")
print(f"{func}() {{")
print('  local cur="${COMP_WORDS[COMP_CWORD]}"')
print('  if [[ "$cur" == -* ]]; then')
print(f"    COMPREPLY=($(compgen -W '{' '.join(options)}' -- \"$cur\"))")
print("  else")
print('    COMPREPLY=($(compgen -f -- "$cur"))')
print("  fi")
print("}")
print(f"complete -o filenames -F {func} {name}")
