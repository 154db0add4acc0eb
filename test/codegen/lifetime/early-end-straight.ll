; A use after lifetime.end in straight-line code is reported with the slot's
; name and both lines.
; RUN: not %btc --target %target --check-ir %s 2>&1 | FileCheck %s
; CHECK: error: stack slot '$key' in probe is used at line 3 after its lifetime ended at line 2
define i64 @probe(ptr %ctx) !dbg !5 {
  %"$key" = alloca [16 x i8], align 8
  call void @llvm.lifetime.start.p0(i64 16, ptr %"$key"), !dbg !8
  store i8 1, ptr %"$key", !dbg !8
  call void @llvm.lifetime.end.p0(i64 16, ptr %"$key"), !dbg !9
  %v = load i8, ptr %"$key", !dbg !10
  ret i64 0
}
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture)
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3}
!0 = distinct !DICompileUnit(language: DW_LANG_C, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "t.bt", directory: ".")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "probe", scope: !1, file: !1, line: 1, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{}
!8 = !DILocation(line: 1, scope: !5)
!9 = !DILocation(line: 2, scope: !5)
!10 = !DILocation(line: 3, scope: !5)
