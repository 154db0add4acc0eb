// The DI and IR types of the kernel records a script reads (CoreTypes.h).
#include "CoreTypes.h"
#include "LowerContext.h"

#include <algorithm>

namespace bt::lower {

using namespace llvm;

CoreTypes::Record &CoreTypes::record(LowerContext &lc, TypeId value) {
  // One type per struct: a copy out of a process's memory is the struct as declared.
  TypeId id = lc.types().declared(value);
  auto [it, added] = records_.try_emplace(id.index());
  if (!added)
    return it->second;
  const Type &t = lc.type(id);
  // Named, so libbpf can find the kernel's type of that name; the elements come
  // in declare(), once every record exists.
  it->second.ir = StructType::create(lc.ctx, std::string(t.isUnion ? "union." : "struct.") + t.name);
  auto *di = t.isUnion
                 ? lc.DI->createUnionType(lc.cu, t.name, lc.file, 0, uint64_t(t.size) * 8, 0,
                                          DINode::FlagZero, DINodeArray())
                 : lc.DI->createStructType(lc.cu, t.name, lc.file, 0, uint64_t(t.size) * 8, 0,
                                           DINode::FlagZero, nullptr, DINodeArray());
  it->second.di = di;
  it->second.isUnion = t.isUnion;
  return it->second;
}

// Only the kind of a member's type matters to libbpf (an int matches any int, a
// pointer any pointer), so pointers are `void *`.
DIType *CoreTypes::diType(LowerContext &lc, TypeId id) {
  const Type &t = lc.type(id);
  switch (t.kind) {
  case TypeKind::Int:
    if (t.name.compare(0, 5, "enum ") == 0)
      return lc.DI->createEnumerationType(lc.cu, t.name.substr(5), lc.file, 0, t.size * 8,
                                          t.size * 8, DINodeArray(),
                                          lc.diInt(t.size * 8, t.isSigned));
    return lc.diInt(t.size * 8, t.isSigned);
  case TypeKind::Pointer:
    return lc.DI->createPointerType(nullptr, 64);
  case TypeKind::String:
    return lc.diBytes(t.size);
  case TypeKind::Array: {
    auto *sub = lc.DI->getOrCreateSubrange(0, (int64_t)t.count);
    return lc.DI->createArrayType(uint64_t(t.size) * 8, 0, diType(lc, t.element),
                                  lc.DI->getOrCreateArray({sub}));
  }
  case TypeKind::Record:
    return record(lc, id).di;
  default:
    return lc.diBytes(t.size);
  }
}

llvm::Type *CoreTypes::irType(LowerContext &lc, TypeId id) {
  const Type &t = lc.type(id);
  switch (t.kind) {
  case TypeKind::Int:
    return IntegerType::get(lc.ctx, t.size * 8);
  case TypeKind::Pointer:
    return lc.ptr();
  case TypeKind::Array:
    return ArrayType::get(irType(lc, t.element), t.count);
  case TypeKind::Record:
    return record(lc, id).ir;
  default:
    return ArrayType::get(lc.i8(), t.size);
  }
}

void CoreTypes::declare(LowerContext &lc) {
  // Members by record, deduplicated by name.
  std::map<uint32_t, std::map<std::string, const MemberAccess *>> members;
  for (const auto &[expr, m] : lc.sema.members) {
    if (lc.type(m.record).origin != RecordOrigin::Btf)
      continue; // the script's C records are read at their offsets, unrelocated
    record(lc, m.record);
    members[m.record.index()].emplace(m.name, &m);
  }
  // Records copied whole (every member), offsetof's paths, sizeof's records.
  auto add = [&](const std::vector<MemberAccess> &list) {
    for (const MemberAccess &m : list) {
      if (lc.type(m.record).origin != RecordOrigin::Btf)
        continue;
      record(lc, m.record);
      members[m.record.index()].emplace(m.name, &m);
    }
  };
  for (const auto &[index, list] : lc.sema.recordMembers)
    add(list);
  for (const auto &[expr, path] : lc.sema.kernelOffsets)
    add(path);
  for (const auto &[expr, sized] : lc.sema.kernelSizes) {
    TypeId t = sized; // an array's element: its record
    while (lc.type(t).isArray())
      t = lc.type(t).element;
    record(lc, t);
  }
  for (auto &[index, rec] : records_) {
    std::vector<const MemberAccess *> list;
    for (const auto &[name, m] : members[index])
      list.push_back(m);
    // The kernel refuses BTF whose members go back in offset.
    std::stable_sort(list.begin(), list.end(), [](const MemberAccess *a, const MemberAccess *b) {
      return a->bitOffset < b->bitOffset;
    });
    SmallVector<Metadata *, 8> elements;
    SmallVector<llvm::Type *, 8> body;
    for (const MemberAccess *m : list) {
      rec.index[m->name] = unsigned(elements.size());
      const Type &mt = lc.type(m->type);
      DIType *type = diType(lc, m->type);
      if (m->bitfieldSize)
        elements.push_back(lc.DI->createBitFieldMemberType(
            rec.di, m->name, lc.file, 0, m->bitfieldSize, m->bitOffset,
            m->bitOffset - m->bitOffset % (mt.size * 8), DINode::FlagZero, type));
      else
        elements.push_back(lc.DI->createMemberType(rec.di, m->name, lc.file, 0,
                                                   uint64_t(mt.size) * 8, 0, m->bitOffset,
                                                   DINode::FlagZero, type));
      body.push_back(irType(lc, m->type));
    }
    lc.DI->replaceArrays(rec.di, lc.DI->getOrCreateArray(elements));
    if (body.empty())
      body.push_back(lc.i8());
    rec.ir->setBody(body);
  }
  // Records met only as a member's type, after the loop passed their place.
  for (auto &[index, rec] : records_)
    if (rec.ir->isOpaque())
      rec.ir->setBody({lc.i8()});
}

llvm::DICompositeType *CoreTypes::recordDi(LowerContext &lc, TypeId t) {
  Record &rec = record(lc, t);
  if (rec.ir->isOpaque()) {
    rec.ir->setBody({lc.i8()});
    lc.DI->replaceArrays(rec.di, lc.DI->getOrCreateArray({}));
  }
  return rec.di;
}

CoreTypes::Access CoreTypes::access(const MemberAccess &m) const {
  const Record &rec = records_.at(m.record.index());
  return {rec.ir, rec.di, rec.index.at(m.name), rec.isUnion};
}

} // namespace bt::lower
