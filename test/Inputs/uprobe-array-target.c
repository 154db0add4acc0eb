// A struct whose members are arrays of strings, of structs (one and two dimensions)
// and of pointers, and a struct with a pointer member, passed to visit() (test/runtime/diff-arrays-of-values.bt). Built
// with -no-pie: the pointers are to globals, at the same address in every run, so that
// two tools print the same numbers.
#include <string.h>

struct Point {
  int x;
  short y;
};

struct Tag {
  const char *label;
  int n;
};

struct Box {
  int id;
  struct Tag tag;
  char names[3][8];
  struct Point pts[2];
  struct Point grid[2][2];
  const char *labels[2];
  struct Box *links[2];
};

static struct Box other = {.id = 9};

__attribute__((noinline)) int visit(struct Box *b) { return b->id; }

int main(void) {
  struct Box b = {.id = 1,
                  .pts = {{1, -2}, {3, 4}},
                  .grid = {{{5, 6}, {7, -8}}, {{9, 10}, {11, 12}}}};
  strcpy(b.names[0], "ab");
  strcpy(b.names[1], "cdefg");
  strcpy(b.names[2], "1234567");
  b.labels[0] = "first";
  b.tag.label = "tagged";
  b.tag.n = 5;
  b.links[0] = &other;
  return visit(&b) == 0;
}
