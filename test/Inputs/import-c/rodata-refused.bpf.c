// Read-only data an imported C source may not define yet (import-c-source.test): a
// constant holding addresses (a relocation in .rodata, which libbpf does not apply),
// and a constant in a section of its own.
const char *const names[] = {"zero", "one"};
const int special __attribute__((section(".data.special"))) = 1;

const char *name_of(int i) { return names[i & 1]; }
int special_value(void) { return special; }
