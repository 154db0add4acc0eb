"""bench.py's parts, one concept a module: common (paths, settings, contenders), prepare,
startstop (figures 1 and 5), bpfruns (figures 2 and 3), compiletime (figure 4), report."""
