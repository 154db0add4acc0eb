// Read-only data an imported C source may define (import-c-rodata tests): a constant
// table, a string literal (bpf_printk's format, as libbpf's macro declares it) and a
// static constant, each in the script object's .rodata.
static const unsigned short primes[] = {2, 3, 5, 7, 11, 13, 17, 19};
const long scale = 1000;

static long (*const trace_printk)(const char *fmt, unsigned int size, ...) = (void *)6;

unsigned int nth_prime(unsigned int i) { return i < 8 ? primes[i] : 0; }

long scaled(long v) { return v * scale; }

long say(long v) {
  static const char fmt[] = "rodata says %ld";
  return trace_printk(fmt, sizeof(fmt), v);
}

// A string literal's first byte, from clang's mergeable .rodata.str1.1.
int first_letter(void) {
  const char *s = "hello";
  volatile unsigned long i = 0;
  return s[i];
}
