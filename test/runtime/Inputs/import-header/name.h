// Layouts over task_struct's comm ("btrun" in BEGIN). No kernel type has these names,
// so they are read at this header's offsets (clang's), not through BTF.
#define BT_HDR_PAIRS 2
struct bt_hdr_name { char first; short gap; char rest[4]; };
typedef struct { char a; char b; } bt_hdr_pair_t;
enum bt_hdr_index { BT_HDR_FIRST = 0, BT_HDR_SECOND = 1 };
