// A struct reached through two and three pointers (test/runtime/field-through-pointers.bt):
// take(&p, &pp) where p points to {id 7, size -9, name "inner"}.
struct S {
  int id;
  long size;
  char name[8];
};

__attribute__((noinline)) long take(struct S **pp, struct S ***ppp) {
  return (*pp)->id + (**ppp)->size;
}

int main(void) {
  struct S s = {.id = 7, .size = -9, .name = "inner"};
  struct S *p = &s;
  struct S **pp = &p;
  return take(&p, &pp) == 0;
}
