// A C++ program whose functions uprobes name by their demangled names: two overloads
// in a namespace, a member function and a plain function, each called once. It prints
// nothing, so that only the probes' output is compared.
namespace ns {
__attribute__((noinline)) int fn(int x) { return x + 1; }
__attribute__((noinline)) int fn(double x) { return static_cast<int>(x) + 2; }
struct Counter {
  __attribute__((noinline)) int twice(int y);
};
int Counter::twice(int y) { return y * 2; }
} // namespace ns

__attribute__((noinline)) int plain(int x) { return x + 3; }

volatile int sink;

int main(int argc, char **) {
  ns::Counter c;
  sink = ns::fn(argc) + ns::fn(1.5) + c.twice(argc) + plain(argc);
  return 0;
}
