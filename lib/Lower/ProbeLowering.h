// Private to lib/Lower: lowering of one attachment of one probe into one BPF
// program. The work is split by language concept over Probe.cpp (functions
// and statements), Expr.cpp, Builtin.cpp, Call.cpp, Aggregation.cpp,
// Map.cpp, LookupReuse.cpp and String.cpp.
#pragma once

#include "LowerContext.h"

#include <optional>

namespace bt::lower {

class ProbeLowering {
public:
  ProbeLowering(LowerContext &lc, const ProbeInfo &probe, const Attachment &attachment,
                const std::string &fnName);
  void run();
  /// The uprobe of a watchpoint on a function's argument (WatchpointArm.cpp): sends the
  /// address to btrun to open watchpoint program `watchProgram` there.
  void runWatchpointArm(const std::string &watchProgram);
  // Set when raw_syscalls serves this syscall tracepoint attachment (SyscallDispatch.cpp).
  const DispatchSlot *dispatch = nullptr;
  // Set when this one program serves every attachment of the probe (MultiAttach.cpp).
  bool shared = false;
  // With `shared`, when raw_syscalls serves the attachments (SyscallDispatch.cpp): each
  // attachment's slot, in order; `dispatch` is one with the next level's table if any.
  std::vector<const DispatchSlot *> dispatchGroup;

private:
  LowerContext &lc;
  llvm::IRBuilder<> &B;
  const ProbeInfo &probe;
  const Attachment &att;
  std::string fnName;
  llvm::Function *fn = nullptr;
  llvm::DISubprogram *sp = nullptr;
  llvm::Value *ctxArg = nullptr;
  llvm::BasicBlock *entry = nullptr;
  // By the declaration they hold: this function's slots, or in a for loop's body
  // pointers to the caller's.
  std::map<DeclId, llvm::Value *> vars;
  // Scratch slots of the statement being lowered; their lifetime ends when
  // the statement does. One too big for the stack (`scratch`) is in bt_scratch:
  // what it took is given back by restoring the top it found.
  struct Temp {
    llvm::AllocaInst *stack = nullptr;
    unsigned scratchTop = 0;
  };
  std::vector<Temp> temps;
  struct Loop { llvm::BasicBlock *cont, *brk; };
  std::vector<Loop> loops;
  SourceRange currentRange; // of the statement or expression being lowered

  // Probe.cpp: structure, statements, scratch slots.
  void setLocation(SourceRange r);
  llvm::AllocaInst *entryAlloca(llvm::Type *ty, const std::string &name);
  llvm::Value *temp(unsigned size, const std::string &name);
  // A temporary on the stack whatever its size (bpf_loop's context: the helper takes
  // only a stack pointer).
  llvm::Value *stackTemp(unsigned size, const std::string &name);
  // v, through an empty asm LLVM cannot see into; `pinned`: nor merge with another such
  // call or move (the asm has side effects).
  llvm::CallInst *opaque(llvm::Value *v, bool pinned = false);
  // MultiAttach.cpp: `probe` or `func` of a shared program, by the attach cookie.
  Value attachmentString(bool func, unsigned size);
  // `probe` naming the traced process's binary: the .bss text btrun wrote (Builtin.cpp).
  Value tracedBinaryName(const std::pair<std::string, std::string> &around, unsigned size);
  void endTemps(size_t mark);
  void ret0();
  // run()'s frame: the function in `section` with its debug info and entry block; the
  // arming test; the final return and the scratch and debug info closed.
  void startFunction(const std::string &section);
  void returnUnlessArmed();
  // Returns 0 from the program where `value` is 0, goes on in block `go` otherwise.
  void returnIfZero(llvm::Value *value, const char *go, const char *stop);
  void finishFunction();
  void skipIteratorEnd(); // ProbeIter.cpp
  // An iterator pinned to a file: read later without btrun, so nothing arms it and
  // printf writes into its file (ProbeIter.cpp).
  bool pinnedIterator() const;
  void seqPrintfCall(const ast::CallExpr *c);
  void startDeadBlock();
  void block(const ast::StmtList &stmts);
  void stmt(const ast::Stmt *s);
  void varDecl(const ast::VarDeclStmt *s); // Let.cpp
  void assignVar(const ast::AssignVarStmt *a);
  void assignMap(const ast::AssignMapStmt *a);
  void ifStmt(const ast::IfStmt *s);
  void whileStmt(const ast::WhileStmt *s);
  llvm::Value *varSlot(const ast::VariableRef *v);
  llvm::Value *declSlot(DeclId id);
  llvm::Value *localSlot(DeclId id); // zeroed once in the entry block

  // Loop.cpp: for loops, each a callback with the caller's variables it captured.
  struct Callback {
    std::vector<DeclId> captures;
    llvm::Value *context; // the callback's context argument
    bool returns = false; // the body has a return or exit()
    bool functionReturns = false; // the body returns from the function it is in
  };
  std::vector<Callback> callbacks;
  unsigned forLoops = 0;
  void forStmt(const ast::ForStmt *s);
  void forgetExactValues(llvm::ArrayRef<DeclId> captures);
  // A copy of the 8-byte slot onto itself through probe_read: a number the verifier no
  // longer follows exactly (Loop.cpp).
  void forgetExactValue(llvm::Value *slot);
  llvm::Value *capturedSlot(DeclId id);
  void returnFromFunction(); // a function's `return`, in its body or its loops
  void returnFromProbe(); // from the probe, or from the loop callback it is in

  // UserFunctions.cpp: a user-defined function's call, inlined; `return` in its body
  // stores the result (functionResult) and jumps to the call's end.
  struct FunctionFrame {
    llvm::Value *result; // null for a function without a return type
    TypeId type;
    llvm::BasicBlock *exit;
    std::optional<DeclId> resultDecl; // its slot is captured in the body's loops
    size_t callbackDepth = 0;         // callbacks.size() where the call is made
  };
  std::vector<FunctionFrame> functionFrames;
  Value userCall(const ast::UserCallExpr *c);
  // Call.cpp: a call of a function of an imported BPF C source.
  Value externalCall(const ast::CallExpr *c, const ExternalCFunction &f);
  void functionResult(const ast::JumpStmt *j);

  // Expr.cpp
  Value expr(const ast::Expr *e);
  llvm::Value *condition(const ast::Expr *e); // i1
  Value binary(const ast::BinaryExpr *b);
  Value logical(const ast::BinaryExpr *b);
  Value elvis(const ast::TernaryExpr *t);
  Value ternary(const ast::TernaryExpr *t);
  Value incDec(const ast::IncDecExpr *i);
  Value cast(const ast::CastExpr *c);
  Value field(const ast::FieldExpr *f);
  // SyscallDispatch.cpp
  Value dispatchedField(const ast::FieldExpr *f, const TracepointField &tf, TypeId t);
  void refuseDispatch();
  void chainNextHandler();
  llvm::Value *syscallNumber(); // at run time, from the raw_syscalls context
  llvm::Value *dispatchedAttachmentIndex(); // of a dispatchGroup, by the syscall's number
  llvm::Value *extendInt(llvm::Value *v, TypeId from);

  // CoreAccess.cpp: kernel types through CO-RE relocations.
  llvm::Value *recordAddress(const ast::FieldExpr *f); // of the struct f reads from
  llvm::Value *memberAddress(const ast::FieldExpr *f, llvm::Value *record);
  llvm::Value *kernelAddress(const ast::Expr *e); // a member, an element or *p
  llvm::Value *elementAddress(const ast::IndexExpr *i, const Value &base);
  // Whether a member, element or *p lies in user memory (a syscall's pointer argument).
  bool userMemory(const ast::Expr *e);
  // Reads a scalar or string at `at` (a record or array is its address).
  Value readKernel(TypeId t, llvm::Value *at, const std::string &name, bool user);
  Value member(const ast::FieldExpr *f);
  Value scriptBitfield(const ast::FieldExpr *f, const MemberAccess &m);
  Value kernelBitfield(llvm::Value *record, llvm::Value *at, TypeId type, bool user,
                       const std::string &name);
  // A bitfield in a struct value's copy, at its compile-time bits (RecordValues.cpp).
  void clearBitfieldBytes(llvm::Value *dst, const std::vector<MemberAccess> &members);
  void storeBitfield(llvm::Value *dst, const MemberAccess &m, llvm::Value *v);
  Value heldBitfield(const MemberAccess &m, llvm::Value *record);
  // A struct or union value copied whole from `src` into `dst`, laid out as its type
  // (CoreAccess.cpp): a kernel record member by member, each relocated.
  void copyRecord(llvm::Value *dst, TypeId record, llvm::Value *src, bool user);
  void copyMember(llvm::Value *dst, TypeId type, llvm::Value *src, bool user);
  // A struct or union value, or an array of them: held as a copy at the compile-time
  // layout, made member by member (Sema's recordValue listed the members).
  bool copiedAsRecord(TypeId t) const;
  // RecordValues.cpp: struct and union values (and arrays of them) in a variable or a
  // map, at the compile-time layout. Whether e's value lies in such a copy (or in a tuple).
  bool heldRecord(const ast::Expr *e) const;
  // e's struct or union value (or array of them) into dst: from a copy, or member by
  // member (copyMember).
  void recordInto(const ast::Expr *e, llvm::Value *dst);
  Value heldMember(const ast::FieldExpr *f);  // $s.a
  Value heldElement(const ast::IndexExpr *i); // $s.arr[1]
  // Whether an array's bytes are the program's own, not memory it reads (CoreAccess.cpp).
  bool arrayHeldByProgram(const ast::Expr *e) const;
  // Element `index` (a run-time value) of the `count` elements of type t at `base`, a
  // copy on the stack or in a map value, or (user: in the process's) memory; zero past
  // the end, where nothing is read.
  Value boundedElement(TypeId t, llvm::Value *base, unsigned count, llvm::Value *index,
                       bool user = false);
  Value heldRead(const ast::Expr *e, llvm::Value *at);
  llvm::Align heldAlignment(const ast::Expr *e) const;
  // RecordValuesScratch.cpp: values over on_stack_limit bytes (a struct of up to 512,
  // an event or a key that holds one) in this program's element of bt_scratch.
  struct ScratchFrame {
    llvm::Value *base = nullptr;                 // the element, checked not null
    llvm::GetElementPtrInst *temps = nullptr;    // where temporaries start (finishScratch)
    llvm::BasicBlock *ready = nullptr;           // zeroes variables, then the body
  };
  std::map<llvm::Function *, ScratchFrame> scratchFrames;
  std::optional<unsigned> scratchIndex; // the program's element
  std::map<DeclId, unsigned> scratchVars; // offsets of variables in the element
  unsigned scratchVarBytes = 0, scratchTop = 0, scratchHigh = 0;
  ScratchFrame &scratchFrame();
  llvm::DebugLoc probeLocation() const;
  llvm::Value *scratchTemp(unsigned size, const std::string &name);
  llvm::Value *scratchVar(DeclId id, unsigned size);
  // An array a variable holds a copy of, over on_stack_limit: one place per assignment,
  // for the whole run, as a variable's.
  std::map<const ast::Expr *, unsigned> scratchCopies;
  llvm::Value *scratchCopy(const ast::Expr *e, unsigned size);
  llvm::Value *scratchPlace(unsigned at, bool fresh, unsigned size, const std::string &name);
  // The biggest value given a place in the element, which the error names when the
  // element would be over what a per-CPU value holds: strings (max_strlen) or not.
  struct ScratchHolder {
    unsigned size = 0;
    std::string what;
    bool string = false;
  };
  ScratchHolder scratchLargest;
  void noteScratch(unsigned size, std::string what, bool string);
  void finishScratch();
  Diagnostic scratchTooBig(unsigned need) const;
  void copyBytes(llvm::Value *dst, llvm::Value *src, llvm::Align srcAlign, unsigned size);
  // KernelCopies.cpp: a variable holding a kernel struct over 512 bytes holds the running
  // kernel's bytes of it, in a per-CPU map of its own, read as kernel memory is.
  bool kernelCopy(TypeId t) const;
  // Whether e lies in such a copy (`$a[$i]`, `$t.arr[$i]`), not behind a pointer.
  bool inKernelCopy(const ast::Expr *e) const;
  std::map<DeclId, llvm::GlobalVariable *> kernelCopyMaps;
  llvm::Value *kernelCopySlot(DeclId id);
  void kernelBytesInto(llvm::Value *dst, TypeId t, llvm::Value *src, bool user);
  void kernelCopyInto(const ast::Expr *e, llvm::Value *dst, TypeId declared);
  Value kernelBytesTernary(const ast::TernaryExpr *t, llvm::Value *cond);
  llvm::Value *eachByteNonZero(llvm::Value *x);
  // An enum constant, sizeof or offsetof: relocated by CO-RE when it is the kernel's
  // (enum value, type size, field byte offset), the compile-time value otherwise.
  llvm::Value *constant(const ast::Expr *e);
  bool hasRelocatedSize(TypeId t) const;
  llvm::Value *kernelRecordSize(TypeId record); // sizeof, relocated
  llvm::Value *stride(TypeId element);          // between elements, relocated
  llvm::Value *kernelGrowth(TypeId t); // running kernel's struct bytes less compile-time
  Value derefOrAddress(const ast::UnaryExpr *u);
  Value element(const ast::IndexExpr *i);
  Value stringByte(const ast::IndexExpr *i); // String.cpp: `$s[n]`
  Value pointerArithmetic(const ast::BinaryExpr *b); // p + n, p - n, p - q
  llvm::Value *pointerStep(ast::BinaryOp op, llvm::Value *pointer, TypeId pointee,
                           llvm::Value *count); // p += n, p -= n, p++, p--

  // Builtin.cpp
  Value builtin(const ast::BuiltinRef *b);
  Value kernelStack(TypeId t);
  Value userStack(TypeId t);                   // Stack.cpp
  Value userSymbol(TypeId t, const Value &address);
  // Whether a value of this type is a pointer to its bytes (a string, a tuple, a usym,
  // an inet) rather than an i64.
  bool inMemory(TypeId t) const;
  // Bytes a variable of type t takes (Probe.cpp).
  unsigned slotSize(TypeId t) const;
  void arrayInto(llvm::Value *from, llvm::Value *dst, TypeId array); // Tuple.cpp
  bool tracepointArray(const ast::Expr *e) const;
  Value argRegister(unsigned index);
  Value usdtArgument(TypeId t, unsigned index); // UsdtArgs.cpp
  Value bpfMatchString(bool func, unsigned size); // BpfMatchNames.cpp
  Value watchMatchString(unsigned size);           // BpfMatchNames.cpp
  // The text at `offset` (`capacity` bytes) of the row of `table` at the attach cookie.
  Value cookieRowString(llvm::GlobalVariable *table, unsigned offset, unsigned capacity,
                        unsigned size, const char *name);
  Value stackArgument(unsigned word, const std::string &name);
  void debugfCall(const ast::CallExpr *c);
  Value userMode(TypeId t);
  Value retvalRegister();
  // args.name of a BTF-typed probe, fexit's retval: a u64 slot of the context.
  Value contextSlot(const ast::Expr *e, const std::string &name);

  // Call.cpp
  Value call(const ast::CallExpr *c);
  void printfCall(const ast::CallExpr *c);
  void printCall(const ast::CallExpr *c);
  void printKernelBytes(EventRecord ev, const ast::Expr *value);
  llvm::Value *startEvent(EventRecord &ev, const std::vector<TypeId> &types);
  void sendEvent(EventRecord ev, llvm::Value *rec);
  // A record of `size` bytes reserved in the ring buffer, for one too large for the stack
  // or one that must not be lost unseen: the builder is left where it is reserved, to
  // fill it; submitRecord sends it. A full buffer counts a lost record and goes to `done`.
  struct ReservedRecord {
    llvm::Value *rec;
    llvm::BasicBlock *done;
  };
  ReservedRecord reserveRecord(unsigned size, const std::string &name);
  ReservedRecord reserveRecord(llvm::Value *size, const std::string &name);
  void submitRecord(const ReservedRecord &r);
  void alignedRecord(const ReservedRecord &r);
  void emitEvent(EventRecord ev, const std::vector<Value> &args);
  void emitEventOfExprs(EventRecord ev, const std::vector<const ast::Expr *> &args);
  void eventArgInto(const ast::Expr *arg, TypeId t, llvm::Value *at);
  void emitKernelBytesEvent(EventRecord ev, const std::vector<const ast::Expr *> &args,
                            const std::vector<TypeId> &types);
  void mapEvent(obj::EventKind kind, const ast::MapRef *m);
  Value strCall(const ast::CallExpr *c);
  // the lowerings that Functions.def's Lower column names, beside those above
  void timeCall(const ast::CallExpr *c);
  Value stackCall(const ast::CallExpr *c);
  Value usymCall(const ast::CallExpr *c);
  Value nsecsCall(const ast::CallExpr *c);
  Value strftimeCall(const ast::CallExpr *c);
  Value argumentValue(const ast::CallExpr *c);
  Value strncmpCall(const ast::CallExpr *c);
  void clearCall(const ast::CallExpr *c);
  Value getoptCall(const ast::CallExpr *c);
  Value cgroupidCall(const ast::CallExpr *c);
  Value uaddrCall(const ast::CallExpr *c);
  Value regCall(const ast::CallExpr *c);
  void signalCall(const ast::CallExpr *c);
  void overrideCall(const ast::CallExpr *c);
  void unwatchCall(const ast::CallExpr *c);
  void exitCall(const ast::CallExpr *c);
  void strCallInto(const ast::CallExpr *c, llvm::Value *dst, unsigned size);
  llvm::Value *readStringAt(const Value &src, llvm::Value *dst, llvm::Value *limit,
                            bool checked);
  // A helper's return code is an error: negative, and not the expected `ignored` code.
  llvm::Value *helperFailed(llvm::Value *rc, int64_t ignored);
  void checkHelperError(llvm::Value *rc, const char *helper, int64_t ignored = 0);

  // Map.cpp
  llvm::Value *buildKey(const MapLayout &ml, const ast::MapRef *m, llvm::Value *bucket = nullptr);
  llvm::Value *buildKey(const MapLayout &ml, const std::vector<const ast::Expr *> &keys,
                        llvm::Value *bucket = nullptr);
  Value mapRead(const ast::MapRef *m);
  void mapWrite(const MapLayout &ml, llvm::Value *key, const Value &v);
  // map_update_elem with BPF_ANY; a failure other than `ignored` counts as a drop.
  void updateMap(const MapLayout &ml, llvm::Value *key, llvm::Value *val, int64_t ignored = 0);
  llvm::Value *lookup(const MapLayout &ml, llvm::Value *key);

  // LookupReuse.cpp: a repeated read of one map element reuses the first lookup.
  struct RecordedLookup {
    std::string map, key;
    unsigned generation;
    llvm::CallInst *call;
  };
  std::vector<RecordedLookup> lookups;
  std::map<std::string, unsigned> mapGenerations;
  unsigned loopEpoch = 0;
  std::optional<std::string> stableKey(const ast::MapRef *m) const;
  void recordLookup(const ast::MapRef *m, llvm::Value *call);
  void mapWritten(const std::string &map);
  void loopBoundary();
  void foldRepeatedLookups();

  // MapFunctions.cpp: delete, has_key, len.
  Value deleteCall(const ast::CallExpr *c);
  Value hasKeyCall(const ast::CallExpr *c);
  Value lenCall(const ast::CallExpr *c);
  Value stackLength(const ast::CallExpr *c); // len(kstack), len($stack)
  llvm::Value *frameCount(const Type &stack);  // Stack.cpp
  llvm::Value *withFrameCount(llvm::Value *id, const Type &stack);
  std::vector<const ast::Expr *> keysOf(const ast::CallExpr *c) const;
  // HistKeyFunctions.cpp: delete and has_key of one key of a hist() or lhist() map.
  Value histKeyCall(const ast::CallExpr *c, bool remove);
  unsigned histKeyWalks = 0; // their bpf_loop steps, one function each

  // StringFunctions.cpp: strlen, strcontains, str_concat, bswap, join.
  bool pointersAreUser() const;
  void joinCall(const ast::CallExpr *c);
  Value strlenCall(const ast::CallExpr *c);
  Value strcontainsCall(const ast::CallExpr *c);
  Value strConcatCall(const ast::CallExpr *c);
  llvm::Value *firstMatch(const ast::CallExpr *c);
  // UpstreamFunctions.cpp: upstream's helpers (strstr, the compile-time predicates, ...).
  Value upstreamCall(const ast::CallExpr *c);
  Value miscCall(const ast::CallExpr *c); // MiscFunctions.cpp
  // MiscFunctions2.cpp: find, globmatch, kfunc_allowed, comm(pid).
  Value findCall(const ast::CallExpr *c);
  Value globmatchCall(const ast::CallExpr *c);
  // GlobMatch.cpp: globmatch() of a pattern known at run time.
  unsigned globSteppers = 0;
  Value globmatchRuntime(const ast::CallExpr *c);
  llvm::Function *globStepper(unsigned strSize, unsigned patSize, SourceRange at);
  Value kfuncAllowedCall(const ast::CallExpr *c);
  Value commOfPidCall(const ast::CallExpr *c);
  Value inCgroupCall(const ast::CallExpr *c);
  unsigned cgroupWalks = 0; // in_cgroup's bpf_loop steps, one function each
  Value bswapCall(const ast::CallExpr *c);

  // NetFunctions.cpp: ntop.
  Value ntopCall(const ast::CallExpr *c);
  Value ptonCall(const ast::CallExpr *c);
  // NetFunctions2.cpp
  Value macaddrCall(const ast::CallExpr *c);
  Value socketCookieCall(const ast::CallExpr *c);
  Value pathCall(const ast::CallExpr *c);
  llvm::Value *trustedAddress(const ast::Expr *e, llvm::BasicBlock *isNull);
  void dPath(llvm::Value *path, llvm::Value *buf, unsigned size);
  // BufferFunctions.cpp: buf.
  Value bufCall(const ast::CallExpr *c);

  // SymbolFunctions.cpp: kaddr.
  Value kaddrCall(const ast::CallExpr *c);
  Value percpuKaddrCall(const ast::CallExpr *c); // NetFunctions3.cpp
  Value skboutputCall(const ast::CallExpr *c);   // Skboutput.cpp

  // Aggregation.cpp
  void aggregate(const ast::MapRef *m, const ast::CallExpr *call);
  llvm::Value *log2Bucket(llvm::Value *v, unsigned k);
  llvm::Value *linearBucket(llvm::Value *v, int64_t min, int64_t max, int64_t step);
  // Tseries.cpp
  void tseriesAggregate(const ast::MapRef *m, const ast::CallExpr *call);
  // AggregationRead.cpp: `$x = @c` of count(), sum(), avg(), min(), max().
  unsigned aggregationReads = 0;
  Value aggregationRead(const ast::MapRef *m);
  // The combined value of the aggregation map's element at key (a pointer to its bytes).
  llvm::Value *aggregationValueAt(const MapLayout &ml, llvm::Value *key, SourceRange at);
  llvm::Function *aggregationReader(const MapLayout &ml, SourceRange at);

  // Tuple.cpp
  bool isTuple(TypeId t) const;
  Value tupleExpr(const ast::TupleExpr *t);
  void tupleInto(const ast::TupleExpr *t, llvm::Value *dst, TypeId dstType);
  Value kernelTupleField(const RecordField &field, llvm::Value *at);
  Value tupleField(const ast::FieldExpr *f);
  Value tupleElement(const ast::IndexExpr *i, size_t index); // `$t[N]`
  // Stores V into DST, a slot of DSTTYPE (an integer, a string or a tuple at least
  // as wide as V's).
  void storeValue(llvm::Value *dst, TypeId dstType, const Value &v);

  // String.cpp
  Value stringLiteral(const std::string &s, unsigned size);
  void copyString(llvm::Value *dst, unsigned dstSize, const Value &src);
  // Evaluates a string expression straight into DST (SIZE bytes, zeroed).
  void stringInto(const ast::Expr *e, llvm::Value *dst, unsigned size);
  // i1; only the first `limit` characters when given (strncmp).
  llvm::Value *stringsEqual(const Value &a, const Value &b, unsigned limit = ~0u);
  // Compare.cpp: `==` of tuples and of integer arrays.
  llvm::Value *tuplesEqual(const Value &a, const Value &b);
  llvm::Value *arraysEqual(const ast::Expr *l, const ast::Expr *r);
  llvm::Value *bytesEqual(llvm::Value *pa, llvm::Value *pb, unsigned size);
  llvm::Value *arrayBytes(const ast::Expr *e); // an array's bytes, copied to the stack
  void arrayBytesInto(const ast::Expr *e, llvm::Value *dst); // ... copied to dst
  // A variable's array: its address, or a copy in the probe's frame where it lies in the
  // process's memory (reads through the variable take it for the kernel's or the stack's)
  // or in a map read's temporary (which ends with its statement).
  llvm::Value *heldArray(const ast::Expr *e);
  llvm::Value *buffersEqual(const Value &a, const Value &b);
  llvm::Value *zeroedArray(const ast::Expr *var, unsigned size); // Let.cpp
  Value arrayCast(const ast::CastExpr *c);
  llvm::Value *stringBytesArray(const ast::CastExpr *c, unsigned size);
  llvm::Value *stringEqualsLiteral(const Value &s, const std::string &literal); // i1
  // StringLoops.cpp: the string operations over more bytes than kUnrolledStringBytes,
  // each a bpf_loop callback (one step a byte) instead of unrolled code.
  struct StringStep;
  unsigned stringLoops = 0;
  bool loopsOverString(uint64_t bytes) const;
  llvm::Value *stringLoop(const char *what, llvm::Value *first, llvm::Value *second,
                          int64_t initial, uint64_t count,
                          llvm::function_ref<void(StringStep &)> step); // the result, i64
  llvm::Value *stringsEqualLoop(const Value &a, const Value &b, uint64_t count); // i1
  llvm::Value *strlenLoop(const Value &s);
  llvm::Value *firstMatchLoop(const Value &h, const std::string &needle);
  llvm::Value *memcmpLoop(const Value &a, const Value &b, uint64_t count);
  void zero(llvm::Value *p, unsigned size);
  void lifetimeStart(llvm::Value *p, unsigned size);
  void lifetimeEnd(llvm::Value *p, unsigned size);
};

} // namespace bt::lower
