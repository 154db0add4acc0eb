#!/bin/sh
# bashreadline's trigger: an interactive bash on a pseudo-terminal (script(1)), so that
# it reads its command lines with readline: one command, then exit.
printf 'echo bt-readline\nexit\n' | script -qec 'bash --norc --noprofile -i' /dev/null
