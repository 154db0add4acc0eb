; A lifetime.end in one branch reaches the use after the join: still a
; violation, because the slot may have ended on that path.
; RUN: not %btc --target %target --check-ir %s 2>&1 | FileCheck %s
; CHECK: error: stack slot '$key' in probe is used after its lifetime ended
define i64 @probe(ptr %ctx, i1 %c) {
entry:
  %"$key" = alloca [16 x i8], align 8
  call void @llvm.lifetime.start.p0(i64 16, ptr %"$key")
  store i8 1, ptr %"$key"
  br i1 %c, label %then, label %join
then:
  call void @llvm.lifetime.end.p0(i64 16, ptr %"$key")
  br label %join
join:
  %p = getelementptr i8, ptr %"$key", i64 4
  %v = load i8, ptr %p
  ret i64 0
}
declare void @llvm.lifetime.start.p0(i64 immarg, ptr nocapture)
declare void @llvm.lifetime.end.p0(i64 immarg, ptr nocapture)
