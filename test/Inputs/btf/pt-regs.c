// A struct pt_regs whose members sit where x86-64's do not (`btc --btf`): the
// registers builtin reads them by CO-RE relocations against this type's names.
// Encoded at test time by make-btf.sh.
struct pt_regs {
  unsigned long ip;
  unsigned long pad[3];
  unsigned long di;
  unsigned long ax;
};
struct pt_regs moved_regs;
