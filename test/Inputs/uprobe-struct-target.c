// Functions whose struct parameters uprobe `args` read through the layouts in this
// file's DWARF (test/runtime/uprobe-args-struct*.bt, test/lit/btc/uprobe-args-struct.test,
// test/codegen/uprobe-args-struct.bt): through pointers, and passed by value in
// registers or on the stack (x86-64's System V rules).
#include <string.h>

struct Point {
  int x;
  short y;
};

struct Node {
  int id;
  char name[12];
  struct Point pos;
  long vals[3];
  unsigned flags : 3;
  unsigned mode : 5;
  union {
    int whole;
    unsigned char bytes[4];
  };
  struct Node *next;
  const char *label;
};

struct Pair {
  long a;
  long b;
};

struct Holder {
  double weight; // no integer: a value btc does not hold
  int count;
};

__attribute__((noinline)) int walk(struct Node *node, int depth) {
  return node->id + depth + (node->next ? node->next->id : 0);
}

__attribute__((noinline)) int weigh(struct Holder *h) { return h->count + (int)h->weight; }

// p in si; `after` in dx.
__attribute__((noinline)) long place(struct Point p, long after) { return p.x + p.y + after; }

// x in di, pr in si and dx, y in cx.
__attribute__((noinline)) long pair(int x, struct Pair pr, int y) { return x + pr.a + pr.b + y; }

// a1..a5 in di..r8; pr needs two registers and one is left, so it is on the stack, and
// a6 takes r9.
__attribute__((noinline)) long spill(long a1, long a2, long a3, long a4, long a5,
                                     struct Pair pr, long a6) {
  return a1 + a2 + a3 + a4 + a5 + pr.a + pr.b + a6;
}

// n (over 16 bytes) on the stack; first in di, p in si, last in dx.
__attribute__((noinline)) long whole(long first, struct Node n, struct Point p, long last) {
  return first + n.id + p.x + last;
}

__attribute__((noinline)) int weighv(struct Holder h, int after) { return h.count + after; }

int main(void) {
  struct Node tail = {.id = 2, .pos = {-5, 6}, .vals = {7, 8, 9}, .flags = 1, .mode = 17};
  strcpy(tail.name, "tail");
  tail.whole = 0x01020304;
  tail.label = "second";
  struct Node head = {.id = 1, .pos = {3, -4}, .vals = {10, -20, 30}, .flags = 5, .mode = 9};
  strcpy(head.name, "head");
  head.whole = 258;
  head.next = &tail;
  head.label = "first";
  struct Holder h = {2.5, 4};
  struct Pair pr = {21, -22};
  long sum = walk(&head, 3) + weigh(&h) + weighv(h, 1) + place(head.pos, 77);
  sum += pair(-1, pr, 2) + spill(1, 2, 3, 4, 5, pr, 6) + whole(100, head, tail.pos, -100);
  return sum == 0;
}
