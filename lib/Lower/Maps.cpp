// BTF-defined maps in `.maps`, the `.bss` runtime globals and the license:
// everything a program refers to that is not code.
#include "KernelBytesRoom.h"
#include "LowerContext.h"

#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

namespace {

constexpr unsigned kStackMapEntries = 4096;
constexpr unsigned kRingbufBytes = 1u << 20;

// A keyless aggregation needs no hash: a per-CPU array's lookup is a bounds
// check the verifier inlines, and creating it costs next to nothing. Element i
// is bucket i (0 for the scalar aggregations); one more element at the end is
// the marker btrun sets when zero() keeps the map (docs/OBJECT.md).
void useKeylessArray(MapLayout &ml) {
  const MapInfo &mi = *ml.info;
  unsigned elements = 1;
  if (mi.agg == AggKind::Hist)
    elements = obj::histBuckets(unsigned(std::max(mi.histBits, 0)));
  else if (mi.agg == AggKind::Lhist)
    elements = unsigned((mi.lhistMax - mi.lhistMin) / mi.lhistStep + 2);
  ml.perCpuArray = true;
  ml.bpfType = obj::MapType::PercpuArray;
  ml.keySize = 4;
  ml.maxEntries = elements + 1;
  ml.valueSize = mi.agg == AggKind::Tseries
                     ? obj::tseriesValueSize(uint64_t(mi.tseriesIntervals))
                     : obj::keylessArrayValueSize(manifestAggregation(mi.agg));
}

std::string bpfMapName(const std::string &scriptName) {
  return scriptName == "@" ? "_" : scriptName.substr(1);
}

} // namespace

// A map is a global of an anonymous struct of pointers whose pointee types
// carry the attributes (libbpf's __uint/__type convention).
GlobalVariable *defineBtfMap(LowerContext &lc, const std::string &name,
                             const std::vector<std::pair<std::string, DIType *>> &members) {
  std::vector<llvm::Type *> fieldTys(members.size(), lc.ptr());
  auto *sty = StructType::get(lc.ctx, fieldTys);
  auto *gv = new GlobalVariable(*lc.module, sty, false, GlobalValue::ExternalLinkage,
                                ConstantAggregateZero::get(sty), name);
  gv->setSection(".maps");
  gv->setAlignment(Align(8));

  SmallVector<Metadata *, 4> elems;
  uint64_t offset = 0;
  for (const auto &[mname, pointee] : members) {
    auto *ptrTy = lc.DI->createPointerType(pointee, 64);
    elems.push_back(lc.DI->createMemberType(lc.cu, mname, lc.file, 0, 64, 64, offset,
                                            DINode::FlagZero, ptrTy));
    offset += 64;
  }
  auto *st = lc.DI->createStructType(lc.cu, "", lc.file, 0, offset, 64, DINode::FlagZero,
                                     nullptr, lc.DI->getOrCreateArray(elems));
  auto *gve = lc.DI->createGlobalVariableExpression(lc.cu, name, name, lc.file, 0, st, false);
  gv->addDebugInfo(gve);
  return gv;
}

// __uint(attr, N) is a pointer to int[N].
DIType *uintAttr(LowerContext &lc, uint64_t n) {
  auto *intTy = lc.diInt(32, true);
  auto *sub = lc.DI->getOrCreateSubrange(0, (int64_t)n);
  return lc.DI->createArrayType(n * 32, 32, intTy, lc.DI->getOrCreateArray({sub}));
}

DIType *LowerContext::diInt(unsigned bits, bool isSigned) {
  std::string name = std::string(isSigned ? "" : "unsigned ") +
                     (bits == 64 ? "long" : bits == 32 ? "int" : bits == 16 ? "short" : "char");
  return DI->createBasicType(name, bits, isSigned ? dwarf::DW_ATE_signed : dwarf::DW_ATE_unsigned);
}

DIType *LowerContext::diBytes(unsigned n) {
  auto *ch = DI->createBasicType("char", 8, dwarf::DW_ATE_signed_char);
  auto *sub = DI->getOrCreateSubrange(0, (int64_t)n);
  return DI->createArrayType(n * 8, 8, ch, DI->getOrCreateArray({sub}));
}

void declareGlobals(LowerContext &lc) {
  // .bss: armed flag, lost-event counter, start time (offsets 0, 8, 16), then what
  // btrun writes before BEGIN when the script reads it: cpid, ncpus, $#, $N, str($N).
  const PositionalParams &pp = lc.sema.params;
  if (lc.sema.usesChildPid || lc.sema.usesHasChildPid)
    lc.paramSlots.push_back({-1, false, 0, 0, 8, ""});
  if (lc.sema.usesNcpus)
    lc.paramSlots.push_back({-2, false, 0, 0, 8, ""});
  if (lc.sema.usesPidNamespace) {
    lc.paramSlots.push_back({LowerContext::kPidNamespaceDevSlot, false, 0, 0, 8, ""});
    lc.paramSlots.push_back({LowerContext::kPidNamespaceInoSlot, false, 0, 0, 8, ""});
  }
  if (lc.sema.usesTaiDelta)
    lc.paramSlots.push_back({LowerContext::kTaiDeltaSlot, false, 0, 0, 8, ""});
  if (pp.count)
    lc.paramSlots.push_back({0, false, 0, 0, 8, ""});
  for (int n : pp.asInt)
    lc.paramSlots.push_back({n, false, 0, 0, 8, ""});
  for (int n : pp.asString)
    lc.paramSlots.push_back({n, true, 0, 0, 0, ""});
  for (const auto &[name, param] : lc.sema.namedParams)
    lc.paramSlots.push_back({0, param.type == obj::ParamType::String, 0, 0, 0, name});
  for (const std::string &path : lc.sema.cgroupPaths)
    lc.paramSlots.push_back({LowerContext::kCgroupIdSlot, false, 0, 0, 8, path});
  for (const auto &[kfunc, section] : lc.sema.kfuncAllowed)
    lc.paramSlots.push_back({LowerContext::kKfuncAllowedSlot, false, 0, 0, 8, kfunc, section});
  for (const auto &around : lc.sema.tracedBinaryNames)
    lc.paramSlots.push_back({LowerContext::kTracedBinaryNameSlot, true, 0, 0,
                             tracedBinaryNameSize(around), around.first, around.second});
  TypeId u64Type = lc.types().integer(8, false);
  std::vector<TypeId> fieldTypes(3, u64Type);
  for (auto &slot : lc.paramSlots) { // a string's size: its own, else str($N)'s
    uint64_t textSize = slot.size ? slot.size : lc.sema.options.strlen;
    fieldTypes.push_back(slot.isString ? lc.types().string(textSize) : u64Type);
  }
  // Keyless maps hold one key (or are arrays): only keyed maps can fill up.
  std::vector<const MapInfo *> dropping;
  for (const MapInfo &mi : lc.sema.maps)
    if (!mi.keys.empty()) {
      dropping.push_back(&mi);
      fieldTypes.push_back(u64Type);
    }
  RecordLayout layout = layoutOf(lc.types(), fieldTypes);
  std::vector<llvm::Type *> fieldTys = {lc.i64(), lc.i64(), lc.i64()};
  auto *u64 = lc.diInt(64, false);
  SmallVector<Metadata *, 8> elems;
  const char *names[] = {"armed", "lost", "start_ns"};
  for (unsigned i = 0; i < 3; ++i)
    elems.push_back(lc.DI->createMemberType(lc.cu, names[i], lc.file, 0, 64, 64, i * 64,
                                            DINode::FlagZero, u64));
  for (auto &slot : lc.paramSlots) {
    slot.field = fieldTys.size();
    slot.offset = layout.offsets[slot.field];
    slot.size = storageOf(lc.types(), fieldTypes[slot.field]).slotSize;
    fieldTys.push_back(slot.isString ? (llvm::Type *)ArrayType::get(lc.i8(), slot.size) : lc.i64());
    std::string name = slot.index == LowerContext::kCgroupIdSlot
                           ? "cgroupid" + std::to_string(slot.field)
                       : slot.index == LowerContext::kKfuncAllowedSlot
                           ? "kfunc_allowed" + std::to_string(slot.field)
                       : slot.index == LowerContext::kTracedBinaryNameSlot
                           ? "probe_name" + std::to_string(slot.field)
                       : !slot.name.empty() ? "opt_" + slot.name
                       : slot.index == -2   ? "ncpus"
                       : slot.index == LowerContext::kPidNamespaceDevSlot ? "pidns_dev"
                       : slot.index == LowerContext::kPidNamespaceInoSlot ? "pidns_ino"
                       : slot.index == LowerContext::kTaiDeltaSlot ? "tai_delta"
                       : slot.index == -1 ? "cpid"
                       : slot.index == 0 ? "argc"
                                         : (slot.isString ? "str" : "arg") + std::to_string(slot.index);
    elems.push_back(lc.DI->createMemberType(lc.cu, name, lc.file, 0, slot.size * 8, 64,
                                            slot.offset * 8, DINode::FlagZero,
                                            slot.isString ? lc.diBytes(slot.size) : u64));
  }
  for (const MapInfo *mi : dropping) {
    unsigned field = fieldTys.size();
    unsigned offset = layout.offsets[field];
    lc.dropCounters[mi->name] = {field, offset};
    fieldTys.push_back(lc.i64());
    elems.push_back(lc.DI->createMemberType(lc.cu, "drops_" + bpfMapName(mi->name), lc.file, 0,
                                            64, 64, offset * 8, DINode::FlagZero, u64));
  }
  auto *sty = StructType::get(lc.ctx, fieldTys);
  lc.globals = new GlobalVariable(*lc.module, sty, false, GlobalValue::ExternalLinkage,
                                  ConstantAggregateZero::get(sty), "bt_globals");
  lc.globals->setSection(".bss");
  lc.globals->setAlignment(Align(8));
  auto *st = lc.DI->createStructType(lc.cu, "bt_globals", lc.file, 0, layout.size * 8, 64,
                                     DINode::FlagZero, nullptr, lc.DI->getOrCreateArray(elems));
  lc.globals->addDebugInfo(
      lc.DI->createGlobalVariableExpression(lc.cu, "bt_globals", "bt_globals", lc.file, 0, st, false));

  auto *lic = ConstantDataArray::getString(lc.ctx, lc.sema.options.license, true);
  auto *licGv = new GlobalVariable(*lc.module, lic->getType(), true, GlobalValue::ExternalLinkage,
                                   lic, "_license");
  licGv->setSection("license");

  lc.ringbuf = defineBtfMap(lc, "bt_events",
                            {{"type", uintAttr(lc, uint32_t(obj::MapType::Ringbuf))},
                             {"max_entries", uintAttr(lc, kRingbufBytes)}});
}

void declareMaps(LowerContext &lc) {
  for (const MapInfo &mi : lc.sema.maps) {
    MapLayout ml;
    ml.info = &mi;
    ml.bpfName = bpfMapName(mi.name);
    ml.maxEntries = mi.maxKeys ? unsigned(mi.maxKeys)
                               : lc.sema.options.maxMapKeys.value_or(kDefaultMaxMapKeys);
    if (auto it = lc.dropCounters.find(mi.name); it != lc.dropCounters.end())
      std::tie(ml.dropsField, ml.dropsOffset) = it->second;
    for (TypeId k : mi.keys)
      lc.lowerable(k, mi.firstUse);
    lc.lowerable(mi.value, mi.firstUse);
    // hist/lhist put the bucket index after the key.
    std::vector<TypeId> keyParts = mi.keys;
    bool bucketed = mi.agg == AggKind::Hist || mi.agg == AggKind::Lhist;
    if (bucketed)
      keyParts.push_back(lc.types().integer(8, false));
    RecordLayout key = layoutOf(lc.types(), keyParts);
    for (size_t i = 0; i < mi.keys.size(); ++i)
      ml.keyFields.push_back({mi.keys[i], key.offsets[i], storageOf(lc.types(), mi.keys[i]).slotSize});
    if (bucketed)
      ml.bucketOffset = key.offsets.back();
    ml.keySize = key.size ? key.size : 8;
    if (mi.agg == AggKind::None) {
      ml.bpfType = mi.lru ? obj::MapType::LruHash : obj::MapType::Hash;
      // The kernel refuses a value of no bytes: the empty tuple `()` takes 8.
      ml.valueSize = layoutOf(lc.types(), {mi.value}).size;
      if (!ml.valueSize)
        ml.valueSize = 8;
      if (heldAsKernelBytes(lc.types(), mi.value))
        ml.valueSize = kernelBytesRoom(ml.valueSize);
    } else {
      ml.bpfType = mi.lru ? obj::MapType::LruPercpuHash : obj::MapType::PercpuHash;
      ml.valueSize = mi.agg == AggKind::Tseries
                         ? obj::tseriesValueSize(uint64_t(mi.tseriesIntervals))
                         : obj::aggregationValueSize(manifestAggregation(mi.agg));
    }
    if (mi.keys.empty() && mi.agg != AggKind::None)
      useKeylessArray(ml);
    DIType *keyTy = ml.perCpuArray ? lc.diInt(32, false)
                    : ml.keyFields.empty() && ml.bucketOffset < 0 ? lc.diInt(64, false)
                                                                  : lc.diBytes(ml.keySize);
    DIType *valTy = ml.valueSize == 8 && !lc.type(mi.value).isString() ? lc.diInt(64, true)
                                                              : lc.diBytes(ml.valueSize);
    std::vector<std::pair<std::string, DIType *>> members = {
        {"type", uintAttr(lc, uint32_t(ml.bpfType))},
        {"max_entries", uintAttr(lc, ml.maxEntries)},
        {"key", keyTy},
        {"value", valTy}};
    // Kilobytes a value: allocated as keys come (BPF_F_NO_PREALLOC), not max_entries of
    // them up front; an LRU hash takes no such flag.
    if (heldAsKernelBytes(lc.types(), mi.value) && !mi.lru)
      members.push_back({"map_flags", uintAttr(lc, 1)});
    ml.global = defineBtfMap(lc, ml.bpfName, members);
    lc.maps.push_back(std::move(ml));
  }
}

// One stack-trace map per frame limit: the kernel keeps value_size / 8 frames,
// so kstack(3) gets ids of 3-frame stacks, as in bpftrace. A build_id map
// (BPF_F_STACK_BUILD_ID) keeps value_size / 32: each frame a struct bpf_stack_build_id
// (status, 20-byte build id, file offset or address).
llvm::GlobalVariable *LowerContext::stackMap(unsigned frames, bool user, bool buildId) {
  auto &gv = stackMaps[{frames, user, buildId}];
  if (gv)
    return gv;
  constexpr uint32_t kStackBuildIdFlag = 1u << 5; // BPF_F_STACK_BUILD_ID
  constexpr unsigned kBuildIdFrameBytes = 32;     // sizeof(struct bpf_stack_build_id)
  std::string name =
      user ? userStackMapName(frames, buildId ? obj::StackMode::BuildId : obj::StackMode::Raw)
           : kernelStackMapName(frames);
  std::vector<std::pair<std::string, DIType *>> members = {
      {"type", uintAttr(*this, uint32_t(obj::MapType::StackTrace))},
      {"max_entries", uintAttr(*this, kStackMapEntries)},
      {"key", diInt(32, false)},
      {"value", diBytes(frames * (buildId ? kBuildIdFrameBytes : 8))}};
  if (buildId)
    members.push_back({"map_flags", uintAttr(*this, kStackBuildIdFlag)});
  gv = defineBtfMap(*this, name, members);
  return gv;
}

// A new key's tseries value starts as zeros, more than the stack holds: it is copied
// from the one element of a (per-CPU) array no program writes: the kernel zeroes it.
llvm::GlobalVariable *LowerContext::zeroMap(unsigned bytes) {
  auto &gv = zeroMaps[bytes];
  if (!gv)
    gv = defineBtfMap(*this, "bt_zero_" + std::to_string(bytes),
                      {{"type", uintAttr(*this, uint32_t(obj::MapType::PercpuArray))},
                       {"max_entries", uintAttr(*this, 1)},
                       {"key", diInt(32, false)},
                       {"value", diBytes(bytes)}});
  return gv;
}

const MapLayout &LowerContext::mapLayout(const std::string &name) const {
  for (const auto &m : maps)
    if (m.info->name == name)
      return m;
  llvm_unreachable("map without a layout");
}

CallInst *LowerContext::callHelper(Helper id, llvm::Type *ret, ArrayRef<llvm::Value *> args) {
  SmallVector<llvm::Type *, 5> tys;
  for (auto *a : args)
    tys.push_back(a->getType());
  auto *fty = FunctionType::get(ret, tys, false);
  auto *callee = ConstantExpr::getIntToPtr(B.getInt64(id), ptr());
  if (std::find(helpersUsed.begin(), helpersUsed.end(), (int)id) == helpersUsed.end())
    helpersUsed.push_back(id);
  auto *call = B.CreateCall(fty, callee, args);
  // The current task, its credentials, cgroup and CPU cannot change while a BPF
  // program runs: marked as touching no memory, a repeated call (`tid` in the
  // predicate and twice in the body) folds into the first one that dominates it.
  if (id == GetCurrentPidTgid || id == GetCurrentUidGid || id == GetSmpProcessorId ||
      id == GetCurrentCgroupId) {
    call->setDoesNotAccessMemory();
    call->setDoesNotThrow();
    call->addFnAttr(Attribute::WillReturn);
  }
  return call;
}

const LowerContext::ParamSlot &LowerContext::paramSlot(int index, bool isString) const {
  for (const auto &s : paramSlots)
    if (s.name.empty() && s.index == index && s.isString == isString)
      return s;
  llvm_unreachable("positional parameter without a slot");
}

const LowerContext::ParamSlot &LowerContext::namedParamSlot(const std::string &name) const {
  for (const auto &s : paramSlots)
    if (s.index == 0 && s.name == name)
      return s;
  llvm_unreachable("named parameter without a slot");
}

const LowerContext::ParamSlot &LowerContext::cgroupIdSlot(const std::string &path) const {
  for (const auto &s : paramSlots)
    if (s.index == kCgroupIdSlot && s.name == path)
      return s;
  llvm_unreachable("cgroupid() without a slot");
}

const LowerContext::ParamSlot &LowerContext::kfuncAllowedSlot(const std::string &kfunc,
                                                              const std::string &section) const {
  for (const auto &s : paramSlots)
    if (s.index == kKfuncAllowedSlot && s.name == kfunc && s.section == section)
      return s;
  llvm_unreachable("kfunc_allowed() without a slot");
}

const LowerContext::ParamSlot &
LowerContext::tracedBinaryNameSlot(const std::pair<std::string, std::string> &around) const {
  for (const auto &s : paramSlots)
    if (s.index == kTracedBinaryNameSlot && s.name == around.first && s.section == around.second)
      return s;
  llvm_unreachable("probe naming the traced binary without a slot");
}

llvm::Value *LowerContext::globalField(unsigned index) {
  return B.CreateConstInBoundsGEP2_32(globals->getValueType(), globals, 0, index);
}

unsigned LowerContext::addEvent(EventRecord e) {
  events.push_back(std::move(e));
  return events.size() - 1;
}

} // namespace bt::lower
