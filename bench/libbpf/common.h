// User-side helpers shared by the hand-written libbpf contenders: the command line
// (-c CMD), the event loop (ring buffer, the -c child, SIGINT/SIGTERM) and map printing.
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <bpf/libbpf.h>
#include <stdint.h>

// Parses "[-c CMD]", silences libbpf, blocks SIGINT/SIGTERM for the event loop.
// Returns CMD or NULL; exits with status 2 on a bad command line.
const char *hc_init(int argc, char **argv);

// Prints "Attaching N probes..." as bpftrace and btrun do.
void hc_banner(int probes);

// Starts CMD (if any), then waits for events on RB (if any) until CMD exits, SIGINT or
// SIGTERM arrives, or *STOP becomes non-zero (set by RB's callback); drains RB.
// Returns 0 or a negative error.
int hc_run(struct ring_buffer *rb, const char *cmd, volatile int *stop);

// Sum over possible CPUs of the u64 per-CPU value at KEY of a per-CPU map (0 if absent).
uint64_t hc_percpu_sum(int map_fd, const void *key);

// Prints every key of a per-CPU hash of u64 counts as "@NAME[KEY]: N", by ascending count;
// FORMAT writes a key's text (without brackets).
void hc_print_counts(const char *name, int map_fd, size_t key_size,
                     void (*format)(const void *key, char *out, size_t n));

// Prints a log2 histogram (bpftrace's buckets: 0 negative, 1 zero, k >= 2 [2^(k-2), 2^(k-1)))
// and a linear one (0 below MIN, k >= 1 [MIN + (k-1)*STEP, ...), the last at or above MAX),
// from a per-CPU array of NBUCKETS u64 counts; empty leading and trailing buckets are skipped.
void hc_print_log2_hist(const char *name, int map_fd, int nbuckets);
void hc_print_linear_hist(const char *name, int map_fd, int nbuckets, long min, long step);

// Prints "Lost N events" on stderr when N > 0.
void hc_report_lost(uint64_t lost);

#endif
