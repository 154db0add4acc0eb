// Sockets, socket buffers and the functions and tracepoints that take them, with the
// members at offsets no kernel has them at (sk_buff's len at 72; sock_common's
// skc_family at 24, skc_dport at 28, in an anonymous struct of an anonymous union as in
// the kernel), to compile scripts against (`btc --btf`) without the host's BTF.
// Encoded at test time by make-btf.sh.
struct net_device {
  char name[16];
};
struct sk_buff {
  long before[9];
  unsigned int len;
  struct net_device *dev;
};
struct sock_common {
  long before[3];
  unsigned short skc_family;
  union {
    unsigned int skc_portpair;
    struct {
      unsigned short skc_dport;
      unsigned short skc_num;
    };
  };
};
struct sock {
  struct sock_common __sk_common;
};
struct path {
  void *mnt, *dentry;
};
int dev_queue_xmit(struct sk_buff *skb, void *sb_dev) { return skb && sb_dev; }
int netif_receive_skb(struct sk_buff *skb) { return skb != 0; }
void tcp_close(struct sock *sk, long timeout) { (void)sk, (void)timeout; }
int tcp_connect(struct sock *sk) { return sk != 0; }
// On the kernel's bpf_d_path allowlist.
int vfs_getattr(const struct path *path, void *stat, unsigned int request_mask,
                unsigned int query_flags) {
  return path && stat ? (int)(request_mask + query_flags) : 0;
}
struct sk_buff *arp_create(int type, int ptype, unsigned int dest_ip, void *dev,
                           unsigned int src_ip, const unsigned char *dest_hw) {
  return dev && dest_hw ? (struct sk_buff *)0 + type + ptype + dest_ip + src_ip : 0;
}
// The kernel declares a btf_trace_NAME typedef for each raw tracepoint, and defines a
// __bpf_trace_NAME function whose prototype (the hook's data, then the arguments) types
// tp_btf's args.
typedef void (*btf_trace_net_dev_queue)(void *, struct sk_buff *);
btf_trace_net_dev_queue net_dev_queue_hook;
void __bpf_trace_net_dev_queue(void *__data, struct sk_buff *skb) { (void)__data, (void)skb; }
