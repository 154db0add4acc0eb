#!/bin/sh
# pidpersec's trigger: lasts well past its first one-second interval (1.5 s was too
# close under ASan on two loaded cores: the command ended before the interval fired),
# then forks twice more.
/bin/sleep 2.5
/bin/true
/bin/true
