#include "bt/Target/BtfTypeIds.h"

#include <bpf/btf.h>

namespace bt {

int32_t skipBtfModifiers(const struct btf *b, int32_t id) {
  while (id > 0) {
    const btf_type *t = btf__type_by_id(b, id);
    if (!t || !(btf_is_mod(t) || btf_is_typedef(t)))
      break;
    id = static_cast<int32_t>(t->type);
  }
  return id;
}

} // namespace bt
