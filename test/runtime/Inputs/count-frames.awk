# For len-stack-held.bt: the frames printed after "K" (a kernel stack) and after "U" (a
# user stack), up to "end", against the counts len() gave (lines "k=N" and "u=N").
/^k=/ { split($1, k, "="); kn = k[2] }
/^u=/ { split($1, u, "="); un = u[2] }
/^K$/ { section = "k"; next }
/^U$/ { section = "u"; next }
/^end$/ { section = "" }
/^        [^ ]/ { if (section == "k") kc++; else if (section == "u") uc++ }
END {
  print (kc == kn ? "kernel frames match" : "kernel frames differ: " kc " printed, len " kn)
  print (uc == un ? "user frames match" : "user frames differ: " uc " printed, len " un)
}
